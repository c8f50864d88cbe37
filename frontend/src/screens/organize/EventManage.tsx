import { Page, useSession } from "../../components/Page";
import { KindTag, LoadFailed, Loading } from "../../components/Status";
import { api } from "../../lib/api";
import { formatEventTime } from "../../lib/time";
import type { NetEvent } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { Attendees } from "./Attendees";
import { BingoControls } from "./BingoControls";
import { Dashboard } from "./Dashboard";
import { Details } from "./Details";
import { FollowUps } from "./FollowUps";
import { Results } from "./Results";
import { Stations } from "./Stations";
import { StatusTag } from "./OrganizeHome";

const TABS = [
  { id: "live", label: "Live" },
  { id: "attendees", label: "Attendees" },
  { id: "stations", label: "Stations" },
  { id: "bingo", label: "Bingo" },
  { id: "results", label: "Results" },
  { id: "follow-ups", label: "Follow-ups" },
  { id: "details", label: "Details" },
] as const;

/** `/organize/events/{id}/{tab}`: one event: live dashboard, attendees, door stations,
 * bingo, results after the event, follow-up emails, details. */
export default function EventManage(props: { params: { eventId: string; tab?: string } }) {
  const session = useSession();
  const tab = TABS.find((t) => t.id === props.params.tab)?.id ?? "live";
  const event = useLoad(() => api<NetEvent>(`/events/${props.params.eventId}`), [props.params.eventId]);
  const e = event.data;
  const back = { href: "/organize", label: "Your events" };
  if (!session) return <Page title="Organize" back={back}><p>Please <a href="/organize">sign in</a> first.</p></Page>;
  if (!e) {
    return (
      <Page title="Event" back={back} wide>
        {event.loading ? <Loading what="the event" /> : <LoadFailed error={event.error} retry={event.reload} />}
      </Page>
    );
  }
  const label = TABS.find((t) => t.id === tab)!.label;
  return (
    <Page title={e.title} documentTitle={`${label} · ${e.title}`} back={back} wide>
      <p class="row"><KindTag kind={e.kind} /> <StatusTag status={e.status} /> <span class="muted">{formatEventTime(e)}</span></p>
      <nav class="tabs" aria-label="Event sections">
        {TABS.map((t) => (
          <a href={`/organize/events/${e.id}/${t.id}`} aria-current={t.id === tab ? "page" : undefined}>{t.label}</a>
        ))}
      </nav>
      <h2 class="sr-only">{label}</h2>
      {tab === "live" && <Dashboard event={e} />}
      {tab === "attendees" && <Attendees event={e} />}
      {tab === "stations" && <Stations event={e} />}
      {tab === "bingo" && <BingoControls event={e} />}
      {tab === "results" && <Results event={e} />}
      {tab === "follow-ups" && <FollowUps event={e} />}
      {tab === "details" && <Details event={e} onChanged={(changed) => event.set(changed)} />}
    </Page>
  );
}
