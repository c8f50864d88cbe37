import { useState } from "preact/hooks";
import { ErrorNote } from "../../components/Form";
import { Page } from "../../components/Page";
import { SvgImage } from "../../components/QrImage";
import { LoadFailed, Loading } from "../../components/Status";
import { api } from "../../lib/api";
import type { NetEvent, PrintablePoster } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { keepPrintable, printable } from "./printablePosters";
import "./posters.css";

/** `/organize/events/{id}/posters/{posterId}/print`: the poster for an entrance, to print on A4 (print CSS hides
 * everything but the sheet). Its QR code is only known right after the poster was made or replaced. */
export default function PosterPrint(props: { params: { eventId: string; posterId: string } }) {
  const { eventId, posterId } = props.params;
  const event = useLoad(() => api<NetEvent>(`/events/${eventId}`), [eventId]);
  const [poster, setPoster] = useState<PrintablePoster | null>(() => printable(posterId));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const back = { href: `/organize/events/${eventId}/stations`, label: "Stations and posters" };

  async function replace() {
    setBusy(true);
    setError(null);
    try {
      const made = await api<PrintablePoster>(`/posters/${posterId}/replace`, { method: "POST" });
      keepPrintable(made);
      setPoster(made);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  const e = event.data;
  if (!e) {
    return (
      <Page title="Print poster" back={back}>
        {event.loading ? <Loading what="the event" /> : <LoadFailed error={event.error} retry={event.reload} />}
      </Page>
    );
  }
  if (!poster) {
    return (
      <Page title="Print poster" documentTitle={`Print poster · ${e.title}`} back={back}>
        <p>This poster's QR code can only be printed right after the poster is made or replaced: netevents keeps only a fingerprint of it.</p>
        <p>Replace the poster to print a new one. The poster printed before stops checking people in: take it down and put the new one up.</p>
        <ErrorNote error={error} />
        <button type="button" class="button primary block" onClick={() => void replace()} disabled={busy}>
          {busy ? "Making a new QR code…" : "Replace and print"}
        </button>
      </Page>
    );
  }
  return (
    <Page title={`Print poster “${poster.poster.name}”`} documentTitle={`Print poster · ${e.title}`} back={back}>
      <div class="poster-actions stack">
        <p class="note warn">Print it now: this QR code is shown only while this page is open in this tab. Put one poster up at each entrance.</p>
        <button type="button" class="button primary block" onClick={() => window.print()}>Print</button>
      </div>
      <article class="poster-sheet" aria-label="The poster as printed">
        <p class="poster-event">{e.title}</p>
        <p class="poster-call">Scan to check yourself in</p>
        <SvgImage class="poster-qr" svg={poster.qr_svg} alt="QR code: check yourself in" />
        <p class="poster-steps">Point your phone's camera at the code, open the link and sign in with the email you registered with.</p>
        <p class="poster-where">{poster.poster.name}</p>
        <p class="poster-url">{poster.url}</p>
      </article>
    </Page>
  );
}
