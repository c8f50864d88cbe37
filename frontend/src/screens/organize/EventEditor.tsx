import { Page, useSession } from "../../components/Page";
import { navigate } from "../../router";
import { EventForm } from "./EventForm";

/** `/organize/new` (and `/organize/events/new`): create an event. */
export default function EventEditor() {
  const session = useSession();
  return (
    <Page title="New event" back={{ href: "/organize", label: "Your events" }}>
      {session
        ? <EventForm onSaved={(event) => navigate(`/organize/events/${event.id}/stations`)} />
        : <p>Please <a href="/organize">sign in</a> first.</p>}
    </Page>
  );
}
