import { useState } from "preact/hooks";
import { ErrorNote, Field } from "../../components/Form";
import { SvgImage } from "../../components/QrImage";
import { LoadFailed, Loading } from "../../components/Status";
import { api, ApiError, type Page as ApiPage } from "../../lib/api";
import { formatDateTime, formatTime } from "../../lib/time";
import type { NetEvent, Station } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { Posters } from "./Posters";

/** Door stations: add one, show its pairing QR to the door phone, renew or revoke it. */
export function Stations(props: { event: NetEvent }) {
  const id = props.event.id;
  const zone = props.event.timezone;
  const stations = useLoad(() => api<ApiPage<Station>>(`/events/${id}/stations`, { query: { per_page: 100 } }), [id]);
  const [name, setName] = useState("");
  const [pairing, setPairing] = useState<Station | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: () => Promise<Station | void>) {
    setBusy(true);
    setError(null);
    try {
      const station = await action();
      if (station) setPairing(station);
      stations.reload();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  const add = () => act(async () => {
    const station = await api<Station>(`/events/${id}/stations`, { method: "POST", body: { name } });
    setName("");
    return station;
  });
  const renew = (station: Station) => act(() => api<Station>(`/stations/${station.id}/pairing-code`, { method: "POST" }));
  const revoke = (station: Station) => {
    if (!confirm(`Revoke ${station.name}? The phone paired to it stops scanning at once.`)) return;
    void act(async () => {
      await api(`/stations/${station.id}`, { method: "DELETE" });
      if (pairing?.id === station.id) setPairing(null);
    });
  };

  return (
    <>
      <p>Each phone at the door is a station. Add one, then open <strong>{location.host}/door</strong> on that phone and scan the pairing QR code (or type the code).</p>
      <form class="card stack" noValidate onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}>
        <Field label="Station name" name="station-name" required value={name} placeholder="Door A" hint="Shown in “already checked in at …” answers."
          onInput={(event) => setName((event.target as HTMLInputElement).value)} error={error instanceof ApiError ? error.field("name") : undefined} />
        <button class="button primary" disabled={busy}>Add station</button>
      </form>
      <ErrorNote error={error instanceof ApiError && error.field("name") ? null : error} />
      {pairing?.pairing_code && <PairingPanel station={pairing} timeZone={zone} onDone={() => setPairing(null)} />}

      <h3>Stations</h3>
      {stations.error && <LoadFailed error={stations.error} retry={stations.reload} />}
      {!stations.data && stations.loading && <Loading what="stations" />}
      {stations.data?.items.length === 0 && <p class="muted">No stations yet.</p>}
      <ul class="list">
        {stations.data?.items.map((station) => (
          <li class="attendee">
            <div>
              <div class="who">{station.name} <StationTag status={station.status} /></div>
              <div class="muted">
                {station.accepted_count} in · {station.rejected_count} refused
                {station.last_scan_at ? ` · last scan ${formatTime(station.last_scan_at, zone)}` : ""}
              </div>
            </div>
            {station.status !== "revoked" && (
              <div class="row">
                <button type="button" class="button small secondary" onClick={() => renew(station)} disabled={busy}
                  aria-label={`New pairing code for ${station.name}`}>Pairing code</button>
                <button type="button" class="button small danger" onClick={() => revoke(station)} disabled={busy}
                  aria-label={`Revoke ${station.name}`}>Revoke</button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <Posters event={props.event} />
    </>
  );
}

function StationTag(props: { status: Station["status"] }) {
  if (props.status === "paired") return <span class="tag ok">Paired</span>;
  if (props.status === "revoked") return <span class="tag bad">Revoked</span>;
  return <span class="tag warn">Not paired yet</span>;
}

function PairingPanel(props: { station: Station; timeZone: string; onDone: () => void }) {
  const s = props.station;
  return (
    <section class="card" aria-labelledby="pairing-title" data-testid="pairing">
      <h3 id="pairing-title">Pair a phone as “{s.name}”</h3>
      <p>On the door phone, open <strong>{location.host}/door</strong> and tap <em>Scan pairing QR code</em>, or scan this with the phone's camera app.</p>
      {s.pairing_qr_svg && <SvgImage class="pairing-qr" svg={s.pairing_qr_svg} alt={`Pairing QR code for ${s.name}`} />}
      <p class="label" style={{ textAlign: "center" }}>or type the code</p>
      <p class="code" data-testid="pairing-code">{s.pairing_code}</p>
      {s.pairing_expires_at && <p class="hint" style={{ textAlign: "center" }}>Works once, until {formatDateTime(s.pairing_expires_at, props.timeZone)}. A new code unpairs the phone paired before.</p>}
      <button type="button" class="button secondary block" onClick={props.onDone}>Done</button>
    </section>
  );
}
