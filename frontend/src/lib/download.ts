import { request } from "./api";

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Download an authenticated CSV export (a plain link cannot carry the bearer token). */
export async function downloadCsv(path: string, filename: string, query: Record<string, string> = {}): Promise<void> {
  await downloadFile(path, filename, "text/csv", { ...query, format: "csv" });
}

/** Download an authenticated file of any type (`accept`): the vCards of my connections, my data as JSON. */
export async function downloadFile(path: string, filename: string, accept: string, query: Record<string, string> = {}): Promise<void> {
  const response = await request(path, { query, headers: { Accept: accept } });
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch {
    throw new Error("The download was cut off before it finished. Try again in a moment.");
  }
  save(blob, filename);
}

/** Open an authenticated HTML page (the printable badge sheet) in a new window. */
export async function openHtml(path: string): Promise<void> {
  const opened = window.open("", "_blank");
  const response = await request(path, { headers: { Accept: "text/html" } });
  const url = URL.createObjectURL(new Blob([await response.text()], { type: "text/html" }));
  if (opened) opened.location.href = url;
  else location.href = url;
}
