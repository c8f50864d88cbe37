// What staff feel and hear, without looking: a short high beep and buzz for "in", two short beeps
// for "already inside", a low double buzz for "no". Sound needs one tap first (browsers' autoplay rule): unlockSound().

let audio: AudioContext | null = null;

export function unlockSound(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null; // no Web Audio: vibration and the screen still tell
  }
}

function tone(frequency: number, startAt: number, seconds: number): void {
  if (!audio) return;
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = "square";
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.15, audio.currentTime + startAt);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + startAt + seconds);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(audio.currentTime + startAt);
  oscillator.stop(audio.currentTime + startAt + seconds);
}

/** In: one high beep. Already inside (harmless): two short mid beeps. Refused: a low double buzz. */
export function signal(kind: "accepted" | "repeat" | "refused"): void {
  if (kind === "accepted") {
    tone(1320, 0, 0.12);
    navigator.vibrate?.(80);
  } else if (kind === "repeat") {
    tone(880, 0, 0.08);
    tone(880, 0.14, 0.08);
    navigator.vibrate?.([60, 60, 60]);
  } else {
    tone(220, 0, 0.18);
    tone(220, 0.25, 0.18);
    navigator.vibrate?.([200, 100, 200]);
  }
}
