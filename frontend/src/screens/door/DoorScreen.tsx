import { useEffect, useState } from "preact/hooks";
import { loadStation, type PairedStation } from "../../door/station";
import { Pairing } from "./Pairing";
import { StationView } from "./StationView";

/** /door: a phone paired as an event's door station scans badges, online or not. */
export default function DoorScreen() {
  const [paired, setPaired] = useState<PairedStation | null>(loadStation);
  const pairCode = /[#&]pair=([A-Za-z0-9-]+)/.exec(location.hash)?.[1] ?? null;
  useEffect(() => {
    document.title = "Door · netevents";
  }, []);
  if (!paired || pairCode) {
    return <Pairing initialCode={pairCode} onPaired={(station) => {
      history.replaceState(null, "", "/door");
      setPaired(station);
    }} />;
  }
  return <StationView key={paired.token} paired={paired} onUnpaired={() => setPaired(null)} />;
}
