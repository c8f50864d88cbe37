import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../../components/Form";
import { MagicLinkForm } from "../../components/MagicLinkForm";
import { Page, useSession } from "../../components/Page";
import { LoadFailed, SkeletonCards } from "../../components/Status";
import { api } from "../../lib/api";
import { downloadFile } from "../../lib/download";
import { count } from "../../lib/plural";
import type { Connection, PeopleYouMet } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { ConnectionCard } from "./ConnectionCard";
import { useEventLabels } from "./useEventLabels";
import { ConnectionSheet } from "./ConnectionSheet";
import "./connections.css";

/** `/me/connections/events/:eventId`: my "people you met" summary of one event, as the follow-up email has it. */
export default function EventConnections(props: { params: { eventId: string } }) {
  const session = useSession();
  const eventId = Number(props.params.eventId);
  if (!session) {
    return (
      <Page title="People you met">
        <p>Sign in to see who you met at this event and your notes about them.</p>
        <MagicLinkForm next={`/me/connections/events/${props.params.eventId}`} />
      </Page>
    );
  }
  return <Summary eventId={eventId} />;
}

function Summary(props: { eventId: number }) {
  const { eventId } = props;
  const summary = useLoad(() => api<PeopleYouMet>(`/events/${eventId}/summary`), [eventId]);
  const labels = useEventLabels(summary.data?.met ?? []);
  const [open, setOpen] = useState<Connection | null>(null);
  const [news, setNews] = useState<string | null>(null);
  const newsNote = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (news) newsNote.current?.focus();
  }, [news]);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const data = summary.data;
  const back = { href: `/me/connections?event=${eventId}`, label: "My connections" };

  if (!data) {
    return (
      <Page title="People you met" back={back} wide>
        {summary.error ? <LoadFailed error={summary.error} retry={summary.reload} /> : <SkeletonCards what="the people you met" count={3} />}
      </Page>
    );
  }

  const met = data.met;
  const followed = met.filter((c) => c.followed_up).length;
  const card = data.bingo;

  async function download() {
    setDownloadError(null);
    try {
      await downloadFile("/me/connections.vcf", "connections.vcf", "text/vcard", { event_id: String(eventId) });
    } catch (problem) {
      setDownloadError(problem);
    }
  }

  return (
    <Page title={`People you met at ${data.event_title}`} documentTitle={`People you met · ${data.event_title}`} back={back} wide>
      {news && <p class="note ok" role="status" tabIndex={-1} ref={newsNote}>{news}</p>}
      <div class="stats summary-stats">
        <div class="stat"><span class="value">{met.length}</span><span class="label">{met.length === 1 ? "person met" : "people met"}</span></div>
        <div class="stat"><span class="value">{followed}</span><span class="label">followed up</span></div>
        {card && <div class="stat"><span class="value">{card.bingo ? "Bingo!" : card.squares_signed}</span><span class="label">{card.bingo ? `${count(card.lines.length, "line")} in bingo` : `bingo ${card.squares_signed === 1 ? "square" : "squares"} signed`}</span></div>}
      </div>
      <p class="muted">{data.attended ? "You checked in at this event." : "No check-in was recorded for you at this event."}</p>

      {met.length === 0 ? (
        <div class="card empty-state">
          <h2>You did not scan anyone here</h2>
          <p>At the event, scan someone’s badge to say you met: they appear here, with your notes.</p>
          <a class="button primary" href="/scan">Scan a badge</a>
        </div>
      ) : (
        <>
          <div class="row downloads summary-downloads">
            <button type="button" class="button secondary small" onClick={download}>Download these {count(met.length, "vCard")}</button>
            <a class="button quiet small" href={`/me/connections?event=${eventId}&followed_up=false`}>Who to follow up</a>
          </div>
          <ErrorNote error={downloadError} />
          <ul class="list connection-grid">
            {met.map((c) => <ConnectionCard connection={c} eventId={eventId} labels={labels} onOpen={setOpen} />)}
          </ul>
        </>
      )}

      {data.suggested.length > 0 && (
        <section class="suggested">
          <h2>People you missed but should meet</h2>
          <ul class="list connection-grid">
            {data.suggested.map((s) => (
              <li class="card">
                <h3 class="connection-name">{s.person.name}</h3>
                {(s.person.headline || s.person.company) && <p class="meta">{[s.person.headline, s.person.company].filter(Boolean).join(" · ")}</p>}
                <p>{s.reason}</p>
              </li>
            ))}
          </ul>
        </section>
      )}

      {open && (
        <ConnectionSheet key={open.id} connection={open} onClose={() => setOpen(null)}
          onSaved={(updated) => {
            setOpen(updated);
            summary.set({ ...data, met: met.map((c) => (c.id === updated.id ? updated : c)) });
          }}
          onGone={(message) => {
            setOpen(null);
            setNews(message);
            summary.reload();
          }} />
      )}
    </Page>
  );
}
