import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote, Field, fieldError } from "../../components/Form";
import { SvgImage } from "../../components/QrImage";
import { LoadFailed, Loading } from "../../components/Status";
import { api, type Page as ApiPage } from "../../lib/api";
import { formatTime } from "../../lib/time";
import type { NetEvent, Poster, PrintablePoster } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { keepPrintable, printable } from "./printablePosters";
import "./posters.css";

export function printPath(eventId: number, posterId: number): string {
  return `/organize/events/${eventId}/posters/${posterId}/print`;
}

/** Self check-in posters: one per entrance; attendees scan it with their own phone and are checked in as at the
 * door. Make one, print it, replace it (the old print stops working) or remove it. */
export function Posters(props: { event: NetEvent }) {
  const id = props.event.id;
  const zone = props.event.timezone;
  const posters = useLoad(() => api<ApiPage<Poster>>(`/events/${id}/posters`, { query: { per_page: 100 } }), [id]);
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<PrintablePoster | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: () => Promise<PrintablePoster | void>) {
    setBusy(true);
    setError(null);
    try {
      const made = await action();
      if (made) {
        keepPrintable(made);
        setFresh(made);
      }
      posters.reload();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  const make = () => act(async () => {
    const made = await api<PrintablePoster>(`/events/${id}/posters`, { method: "POST", body: { name } });
    setName("");
    return made;
  });
  const replace = (poster: Poster) => {
    if (!confirm(`Replace the poster “${poster.name}”? The printed one stops checking people in; print the new one and put it up instead.`)) return;
    void act(() => api<PrintablePoster>(`/posters/${poster.id}/replace`, { method: "POST" }));
  };
  const remove = (poster: Poster) => {
    if (!confirm(`Remove the poster “${poster.name}”? Its QR code stops checking people in at once.`)) return;
    void act(async () => {
      await api(`/posters/${poster.id}`, { method: "DELETE" });
      if (fresh?.poster.id === poster.id) setFresh(null);
    });
  };
  const nameError = fieldError(error, "name");

  return (
    <section aria-labelledby="posters-title" class="posters">
      <h3 id="posters-title">Posters for self check-in</h3>
      <p>Print one poster per entrance. Attendees scan its QR code with their own phone, sign in, and are checked in with the same rules as at the door; they show in the scan log under the poster's name.</p>
      <form class="card stack" noValidate onSubmit={(event) => {
        event.preventDefault();
        void make();
      }}>
        <Field label="Poster name" name="poster-name" required value={name} placeholder="Main entrance"
          hint="Where it hangs. Shown in the scan log and in “already checked in at …” answers."
          onInput={(event) => {
            setName((event.target as HTMLInputElement).value);
            if (nameError) setError(null);
          }} error={nameError} />
        <button class="button primary" disabled={busy}>Make poster</button>
      </form>
      {!nameError && <ErrorNote error={error} />}
      {fresh && <FreshPoster printable={fresh} eventId={id} onDone={() => setFresh(null)} />}

      {posters.error && <LoadFailed error={posters.error} retry={posters.reload} />}
      {!posters.data && posters.loading && <Loading what="posters" />}
      {posters.data?.items.length === 0 && <p class="muted">No posters yet. Make one for each entrance, then print it.</p>}
      <ul class="list" aria-label="Posters">
        {posters.data?.items.map((poster) => (
          <li class="attendee" data-testid="poster">
            <div>
              <div class="who">{poster.name} {poster.removed_at ? <span class="tag bad">Removed</span> : <span class="tag ok">In use</span>}</div>
              <div class="muted">
                {poster.accepted_count} checked in · {poster.rejected_count} refused or repeated
                {poster.last_scan_at ? ` · last scan ${formatTime(poster.last_scan_at, zone)}` : ""}
              </div>
            </div>
            {!poster.removed_at && (
              <div class="row">
                {printable(poster.id) && (
                  <a class="button small primary" href={printPath(id, poster.id)} aria-label={`Print ${poster.name}`}>Print</a>
                )}
                <button type="button" class="button small secondary" onClick={() => replace(poster)} disabled={busy}
                  aria-label={`Replace ${poster.name} with a new print`}>Replace</button>
                <button type="button" class="button small danger" onClick={() => remove(poster)} disabled={busy}
                  aria-label={`Remove ${poster.name}`}>Remove</button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <p class="hint">The printable QR code is shown only right after a poster is made or replaced: only a fingerprint of it is kept. To print a poster again, replace it (the old print stops working).</p>
    </section>
  );
}

function FreshPoster(props: { printable: PrintablePoster; eventId: number; onDone: () => void }) {
  const p = props.printable;
  const heading = useRef<HTMLHeadingElement>(null);
  // The button that made it is still there, but the news is here: move the focus to it.
  useEffect(() => heading.current?.focus(), [p.secret]);
  return (
    <section class="card poster-fresh" aria-labelledby="fresh-poster-title" data-testid="fresh-poster">
      <h4 id="fresh-poster-title" tabIndex={-1} ref={heading}>Poster “{p.poster.name}” is ready to print</h4>
      <SvgImage class="poster-fresh-qr" svg={p.qr_svg} alt={`Check-in QR code of the poster ${p.poster.name}`} />
      <p class="note warn">Print it now: this QR code is shown only this once. Later, you can only replace the poster with a new one.</p>
      <div class="row">
        <a class="button primary" href={printPath(props.eventId, p.poster.id)}>Print poster</a>
        <button type="button" class="button secondary" onClick={props.onDone}>Done</button>
      </div>
    </section>
  );
}
