// A poster's QR code is answered once, when the poster is made or replaced (the server keeps only a hash of its
// secret). This tab keeps that answer until the organizer has printed it: the print page reads it back.
import type { PrintablePoster } from "../../lib/types";

const key = (posterId: number | string) => `netevents.poster.${posterId}`;

export function keepPrintable(printable: PrintablePoster): void {
  try {
    sessionStorage.setItem(key(printable.poster.id), JSON.stringify(printable));
  } catch {
    // Private mode without storage: the print page offers a new QR code instead.
  }
}

export function printable(posterId: number | string): PrintablePoster | null {
  try {
    const raw = sessionStorage.getItem(key(posterId));
    return raw ? (JSON.parse(raw) as PrintablePoster) : null;
  } catch {
    return null;
  }
}

export function forgetPrintable(posterId: number | string): void {
  try {
    sessionStorage.removeItem(key(posterId));
  } catch {
    // nothing kept
  }
}
