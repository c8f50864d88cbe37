// The camera and the QR decoder: the browser's BarcodeDetector where it exists (Android, macOS),
// otherwise jsQR, served from our own origin like every other script (loaded only when needed).

export interface Scanner { stop(): void }

type Decode = (source: HTMLVideoElement) => Promise<string | null>;

interface NativeDetector { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> }
type DetectorClass = { new (options: { formats: string[] }): NativeDetector; getSupportedFormats(): Promise<string[]> };

async function nativeDecoder(): Promise<Decode | null> {
  const Detector = (globalThis as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Detector) return null;
  try {
    if (!(await Detector.getSupportedFormats()).includes("qr_code")) return null;
    const detector = new Detector({ formats: ["qr_code"] });
    return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
  } catch {
    return null;
  }
}

/** jsQR on a downscaled frame: 640 px on the long side reads a badge at arm's length, fast. */
async function jsqrDecoder(): Promise<Decode> {
  const { default: jsQR } = await import("jsqr");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  return async (video) => {
    const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    if (!width || !height) return null;
    canvas.width = width;
    canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    return jsQR(image.data, width, height, { inversionAttempts: "dontInvert" })?.data ?? null;
  };
}

let decoding: Promise<Decode> | null = null;

/** The QR decoder, loaded once. A door (and the Meet screen) asks for it as it opens, while the network is there:
 * jsQR is a script of its own, and a phone that first starts its camera offline must not find it missing. A load
 * that failed is tried again on the next call. */
export function loadDecoder(): Promise<Decode> {
  if (!decoding) {
    decoding = (async () => (await nativeDecoder()) ?? (await jsqrDecoder()))();
    decoding.catch(() => {
      decoding = null;
    });
  }
  return decoding;
}

export function cameraErrorMessage(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "The camera is blocked. Allow camera access for this site in the browser settings, then tap Start scanning.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") return "No camera found on this device.";
  if (name === "NotReadableError") return "The camera is busy in another app. Close it and try again.";
  if (!navigator.mediaDevices?.getUserMedia) return "This browser cannot use the camera here (it needs https).";
  return "The camera did not start. Try again, or reload the page.";
}

/** Start the camera into `video` and call `onCode` with every QR text seen (about 8 times a second). */
export async function startScanner(video: HTMLVideoElement, onCode: (text: string) => void): Promise<Scanner> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  video.srcObject = stream;
  video.setAttribute("playsinline", "");
  video.muted = true;
  await video.play();
  const decode = await loadDecoder();
  let stopped = false;
  let timer = 0;
  const tick = async () => {
    if (stopped) return;
    try {
      if (video.readyState >= 2) {
        const text = await decode(video);
        if (text && !stopped) onCode(text);
      }
    } catch {
      // One bad frame: try the next.
    }
    if (!stopped) timer = window.setTimeout(tick, 120);
  };
  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      stream.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
    },
  };
}
