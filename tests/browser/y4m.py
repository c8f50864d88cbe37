"""Videos for Chromium's fake camera: badge QR codes as YUV4MPEG2 (see BROWSER-TESTING.md)."""

from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M

WIDTH, HEIGHT = 640, 480
WHITE, BLACK = 235, 16


def _qr_frame(text: str) -> bytes:
    """One frame's Y plane: the QR code centred, whole-pixel modules, white quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    size = len(matrix)
    scale = min(10, (HEIGHT - 20) // size)
    left = (WIDTH - size * scale) // 2
    top = (HEIGHT - size * scale) // 2
    blank_row = bytes([WHITE]) * WIDTH
    rows = [blank_row] * top
    for modules in matrix:
        line = b"".join(bytes([BLACK if dark else WHITE]) * scale for dark in modules)
        row = bytes([WHITE]) * left + line + bytes([WHITE]) * (WIDTH - left - len(line))
        rows.extend([row] * scale)
    rows.extend([blank_row] * (HEIGHT - len(rows)))
    return b"".join(rows)


def write_y4m(
    path: Path, texts: list[str], *, seconds_each: float = 1.0, gap_seconds: float = 1.5, fps: int = 5
) -> Path:
    """A looping video: each text's QR code for `seconds_each`, then a blank page for `gap_seconds`."""
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2 * 2)
    blank = bytes([WHITE]) * (WIDTH * HEIGHT)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for text in texts:
            frame = _qr_frame(text)
            for _ in range(max(1, round(seconds_each * fps))):
                video.write(b"FRAME\n" + frame + chroma)
            for _ in range(max(1, round(gap_seconds * fps))):
                video.write(b"FRAME\n" + blank + chroma)
    return path
