import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../../components/Form";
import { MagicLinkForm } from "../../components/MagicLinkForm";
import { Page, useSession } from "../../components/Page";
import { PersonCard } from "../../components/PersonCard";
import { Sheet } from "../../components/Sheet";
import { LoadFailed, SkeletonCards } from "../../components/Status";
import { api, ApiError } from "../../lib/api";
import { fieldErrors } from "../../lib/fieldMessages";
import {
  blockPerson, firstName, hasFilters, hasInterests, knownTopics, loadDirectory, loadSuggestions, NO_FILTERS,
  peopleSearch, readPeopleSearch, TOPIC_FILTERS, unblockPerson,
  type DirectoryPage, type PeopleFilters, type PeopleTab,
} from "../../lib/people";
import { count } from "../../lib/plural";
import type { NetEvent, PersonCard as Card, Profile, Suggestion } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import "./people.css";

const SEARCH_WAIT_MS = 300;

/** `/e/{id}/people`: who to meet here (suggestions, each with its reason) and everyone listed (the directory),
 * searchable and filtered by topic and mentoring. Only people who chose to be listed ever show. */
export default function People(props: { params: { eventId: string } }) {
  const eventId = Number(props.params.eventId);
  const session = useSession();
  const signedIn = session !== null;
  const event = useLoad(() => api<NetEvent>(`/events/${eventId}`, { auth: signedIn ? "user" : "none" }), [eventId, signedIn]);
  const title = event.data?.title;
  const back = { href: `/e/${eventId}`, label: title ?? "The event" };
  const unknownEvent = !(Number.isInteger(eventId) && eventId > 0) || (event.error instanceof ApiError && event.error.status === 404);
  if (unknownEvent) return <NoSuchEvent />;
  if (!session) {
    return (
      <Page title="People here" back={back} documentTitle={title ? `People · ${title}` : undefined}>
        <p>Sign in to see who else is at this event and whom to meet. We email you a link; no password needed.</p>
        <MagicLinkForm next={`/e/${eventId}/people`} />
      </Page>
    );
  }
  return (
    <Page title="People here" back={back} wide documentTitle={title ? `People · ${title}` : undefined}>
      <PeopleHere eventId={eventId} event={event.data} />
    </Page>
  );
}

/** No event at this address, or one I may not see (the API answers both alike): said once, as the event's own page
 * says it, without the tabs and the listing banner of an event that is there. */
function NoSuchEvent() {
  return (
    <Page title="Event not available" back={{ href: "/", label: "All events" }}>
      <p class="card" data-testid="no-such-event">There is no event at this address: it may have been deleted, or the link is wrong. <a href="/">Find an event</a>.</p>
    </Page>
  );
}

function PeopleHere(props: { eventId: number; event: NetEvent | null }) {
  const { eventId } = props;
  const me = useLoad(() => api<Profile>("/me"));
  const [{ tab, filters }, setView] = useState(() => readPeopleSearch(location.search));
  const [refused, setRefused] = useState<ApiError | null>(null);
  const [blocking, setBlocking] = useState<Card | null>(null);
  const [blocked, setBlocked] = useState<Card[]>([]);
  const [unblockError, setUnblockError] = useState<unknown>(null);
  const tabs = useRef<HTMLDivElement>(null);

  // The address keeps the tab and the filters, to reload or share (replaced, not pushed: Back leaves the screen).
  useEffect(() => {
    history.replaceState(null, "", `/e/${eventId}/people${peopleSearch(tab, filters)}`);
  }, [eventId, tab, filters]);

  const choose = (next: PeopleTab, focus = false) => {
    setView((view) => ({ ...view, tab: next }));
    if (focus) requestAnimationFrame(() => tabs.current?.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  };
  const refuse = useCallback((problem: unknown) => {
    if (problem instanceof ApiError && problem.status === 403) setRefused(problem);
  }, []);
  const setFilters = useCallback((next: PeopleFilters) => setView((view) => ({ ...view, filters: next })), []);
  const hidden = new Set(blocked.map((person) => person.user_id));

  async function undo(person: Card) {
    setUnblockError(null);
    try {
      await unblockPerson(person.user_id);
      setBlocked((list) => list.filter((other) => other.user_id !== person.user_id));
    } catch (problem) {
      setUnblockError(problem);
    }
  }

  if (refused) return <NotHere eventId={eventId} event={props.event} problem={refused} />;
  const profile = me.data;
  return (
    <>
      {profile && !profile.directory_opt_in && (
        <p class="note warn" data-testid="not-listed">
          <strong>You are not listed.</strong> People here do not see you in this list or in their suggestions.{" "}
          <a href="/me/profile#directory">Change this in your profile</a>
        </p>
      )}
      {blocked.map((person) => (
        <p class="note ok row people-blocked" role="status">
          <span>You blocked {person.name}. You no longer see each other anywhere on netevents.</span>
          <button type="button" class="button quiet small" onClick={() => undo(person)}>Undo</button>
        </p>
      ))}
      <ErrorNote error={unblockError} />
      <div role="tablist" aria-label="People here" class="people-tabs" ref={tabs}>
        {(["suggested", "everyone"] as const).map((name) => (
          <button type="button" role="tab" id={`tab-${name}`} aria-controls={`panel-${name}`} aria-selected={tab === name}
            tabIndex={tab === name ? 0 : -1} onClick={() => choose(name)}
            onKeyDown={(key) => {
              if (key.key === "ArrowRight" || key.key === "ArrowLeft") choose(name === "suggested" ? "everyone" : "suggested", true);
            }}>
            {name === "suggested" ? "Suggested" : "Everyone"}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "suggested"
          ? <Suggested eventId={eventId} profile={profile} hidden={hidden} onRefused={refuse} onBlock={setBlocking} seeEveryone={() => choose("everyone", true)} />
          : <Everyone eventId={eventId} profile={profile} hidden={hidden} filters={filters} onRefused={refuse} onBlock={setBlocking}
            setFilters={setFilters} />}
      </div>
      {blocking && (
        <BlockSheet person={blocking} onClose={() => setBlocking(null)}
          onBlocked={() => {
            setBlocked((list) => [...list, blocking]);
            setBlocking(null);
          }} />
      )}
    </>
  );
}

/** Not confirmed for the event (not registered, or on its waitlist): what to do to see who is here. */
function NotHere(props: { eventId: number; event: NetEvent | null; problem: ApiError }) {
  const detail = typeof props.problem.problem.detail === "string" ? props.problem.problem.detail : props.problem.message;
  const waitlisted = /waitlist/i.test(detail);
  const title = props.event?.title ?? "this event";
  return (
    <div class="card people-empty" data-testid="not-registered">
      <h2>{waitlisted ? "You are on the waitlist" : "Register to see who is here"}</h2>
      <p>{waitlisted
        ? "Who is here, and whom to meet, shows once your place is confirmed. We email you when it is."
        : `The people at ${title} who chose to be listed show to the others confirmed for it.`}</p>
      <a class="button primary" href={`/e/${props.eventId}`}>{waitlisted ? `See ${title}` : `Register for ${title}`}</a>
    </div>
  );
}

function Suggested(props: {
  eventId: number; profile: Profile | null; hidden: Set<number>; onRefused: (problem: unknown) => void;
  onBlock: (person: Card) => void; seeEveryone: () => void;
}) {
  const { eventId, onRefused } = props;
  const found = useLoad(() => loadSuggestions(eventId).catch((problem) => {
    onRefused(problem);
    throw problem;
  }), [eventId, onRefused]);
  if (found.loading && !found.data) return <SkeletonCards what="people to meet" />;
  if (found.error) return <LoadFailed error={found.error} retry={found.reload} />;
  const suggestions = (found.data ?? []).filter((s: Suggestion) => !props.hidden.has(s.person.user_id));
  if (suggestions.length === 0) {
    const nothingToGoOn = props.profile !== null && !hasInterests(props.profile);
    return (
      <div class="card people-empty" role="status">
        {nothingToGoOn ? (
          <>
            <h2>Tell us what you care about</h2>
            <p>Suggestions come from topics you share and from mentoring: one of you offers what the other looks for. Your profile has none yet.</p>
            <div class="row">
              <a class="button primary" href="/me/profile">Add topics to my profile</a>
              <button type="button" class="button secondary" onClick={props.seeEveryone}>See everyone here</button>
            </div>
          </>
        ) : (
          <>
            <h2>No suggestions yet</h2>
            <p>Nobody listed here shares your topics or mentoring, or you have met them all already. More people may join as the event comes closer.</p>
            <button type="button" class="button secondary" onClick={props.seeEveryone}>See everyone here</button>
          </>
        )}
      </div>
    );
  }
  return (
    <>
      <p class="muted" role="status">{count(suggestions.length, "person", "people")} you have not met yet, most in common first.</p>
      <ul class="people-grid">
        {suggestions.map((s) => (
          <li>
            <PersonCard person={s.person} reason={s.reason}>
              <MeetButton />
              <BlockButton person={s.person} onBlock={props.onBlock} />
            </PersonCard>
          </li>
        ))}
      </ul>
    </>
  );
}

function Everyone(props: {
  eventId: number; profile: Profile | null; hidden: Set<number>; filters: PeopleFilters;
  setFilters: (filters: PeopleFilters) => void; onRefused: (problem: unknown) => void; onBlock: (person: Card) => void;
}) {
  const { eventId, filters, setFilters, onRefused } = props;
  const [draft, setDraft] = useState(filters);
  const [pages, setPages] = useState<DirectoryPage[]>([]);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const [open, setOpen] = useState(() => TOPIC_FILTERS.some(({ key }) => filters[key]));

  // Search as the person types, after a short pause.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (JSON.stringify(draft) !== JSON.stringify(filters)) {
        setFilters(draft);
        setPage(1);
      }
    }, SEARCH_WAIT_MS);
    return () => clearTimeout(timer);
  }, [draft, filters, setFilters]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    loadDirectory(eventId, filters, page).then(
      (answer) => {
        if (!current) return;
        setPages((before) => (page === 1 ? [answer] : [...before.slice(0, page - 1), answer]));
        setLoading(false);
      },
      (problem) => {
        if (!current) return;
        onRefused(problem);
        setError(problem);
        // The people listed answered the search before: shown under a refused one, they would read as its answer.
        if (page === 1) setPages([]);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [eventId, filters, page, round, onRefused]);

  const last = pages[pages.length - 1];
  const loaded = pages.flatMap((answer) => answer.items);
  const entries = loaded.filter((entry) => !props.hidden.has(entry.person.user_id));
  // Those I just blocked are counted out at once (the next page's count comes without them).
  const total = last ? last.total - (loaded.length - entries.length) : 0;
  const fresh = loading && page === 1;
  const filtered = hasFilters(filters);
  const topics = knownTopics(props.profile, entries.map((entry) => entry.person));
  const change = (key: keyof PeopleFilters, value: string) => setDraft((before) => ({ ...before, [key]: value }));
  const apply = (next: PeopleFilters) => {
    setDraft(next);
    setFilters(next);
    setPage(1);
  };
  const active = TOPIC_FILTERS.filter(({ key }) => filters[key]);
  const quick = quickFilters(props.profile).filter(({ key, topic }) => filters[key].toLowerCase() !== topic.toLowerCase());
  // A search or filter the API refused (too long, a character it does not take): its message goes next to its box,
  // the filters open to show theirs; the note for the whole list is left for any other problem.
  const refused = fieldErrors(error);
  const filterRefused = TOPIC_FILTERS.some(({ key }) => refused[key]);
  const showFilters = open || filterRefused;
  const allNextToTheirBoxes = Object.keys(refused).length > 0 && Object.keys(refused).every((key) => key in NO_FILTERS);

  return (
    <>
      <form class="people-search" role="search" onSubmit={(submitted) => {
        submitted.preventDefault();
        apply(draft);
      }}>
        <label class="sr-only" for="people-q">Search people by name, headline, company or topic</label>
        <input id="people-q" type="search" placeholder="Search people" value={draft.q} autoComplete="off" enterKeyHint="search" maxLength={100}
          aria-invalid={refused.q ? "true" : undefined} aria-describedby={refused.q ? "people-q-error" : undefined}
          onInput={(typed) => change("q", (typed.target as HTMLInputElement).value)} />
        <button type="button" class="button secondary" aria-expanded={showFilters} aria-controls="people-filters" onClick={() => setOpen(!showFilters)}>
          Filters{active.length ? ` (${active.length})` : ""}
        </button>
      </form>
      {refused.q && <p class="error people-search-error" id="people-q-error" role="alert">{refused.q}</p>}
      <datalist id="people-topics">{topics.map((topic) => <option value={topic} />)}</datalist>
      {showFilters && (
        <fieldset id="people-filters" class="people-filters">
          <legend>Filter by topic</legend>
          <div class="people-filter-fields">
            {TOPIC_FILTERS.map(({ key, label }) => (
              <div class={refused[key] ? "field invalid" : "field"}>
                <label for={`filter-${key}`}>{label}</label>
                <input id={`filter-${key}`} list="people-topics" value={draft[key]} autoComplete="off" placeholder="Any topic" maxLength={40}
                  aria-invalid={refused[key] ? "true" : undefined} aria-describedby={refused[key] ? `filter-${key}-error` : undefined}
                  onInput={(typed) => change(key, (typed.target as HTMLInputElement).value)} />
                {refused[key] && <p class="error" id={`filter-${key}-error`} role="alert">{refused[key]}</p>}
              </div>
            ))}
          </div>
        </fieldset>
      )}
      {(active.length > 0 || quick.length > 0) && (
        <div class="people-chips">
          {active.map(({ key, chip }) => (
            <button type="button" class="chip on" aria-label={`Remove the filter ${chip} ${filters[key]}`} onClick={() => apply({ ...filters, [key]: "" })}>
              {chip}: {filters[key]} <span aria-hidden="true">✕</span>
            </button>
          ))}
          {active.length === 0 && quick.map(({ key, chip, topic }) => (
            <button type="button" class="chip" onClick={() => apply({ ...filters, [key]: topic })}>{chip} {topic}</button>
          ))}
          {filtered && <button type="button" class="button quiet small" onClick={() => apply(NO_FILTERS)}>Clear all</button>}
        </div>
      )}
      {error && !allNextToTheirBoxes ? <LoadFailed error={error} retry={() => setRound((n) => n + 1)} /> : null}
      {fresh && !error && <SkeletonCards what="people" />}
      {!fresh && !error && last && (
        <p class="muted" role="status">{describeCount(total, last.total_capped, filtered)}</p>
      )}
      {!fresh && !error && entries.length === 0 && (
        <div class="card people-empty">
          {filtered ? (
            <>
              <h2>Nobody matches</h2>
              <p>Nobody listed here matches {filters.q ? <>“{filters.q}”</> : "these filters"}{filters.q && active.length ? " with these filters" : ""}. Try fewer words, or remove a filter.</p>
              <button type="button" class="button secondary" onClick={() => apply(NO_FILTERS)}>Clear the search and filters</button>
            </>
          ) : (
            <>
              <h2>Nobody is listed yet</h2>
              <p>People choose whether this list shows them. As people here do, they appear.</p>
            </>
          )}
        </div>
      )}
      <ul class="people-grid" aria-busy={loading ? "true" : undefined}>
        {!fresh && entries.map((entry) => (
          <li>
            {entry.person.user_id === props.profile?.id
              ? <PersonCard person={entry.person}><span class="tag person-you">This is you</span><a href="/me/profile">Edit my profile</a></PersonCard>
              : (
                <PersonCard person={entry.person} connected={entry.connected}>
                  {!entry.connected && <MeetButton />}
                  <BlockButton person={entry.person} onBlock={props.onBlock} />
                </PersonCard>
              )}
          </li>
        ))}
      </ul>
      {!fresh && last && last.page < last.pages && (
        <button type="button" class="button secondary block" disabled={loading} onClick={() => setPage(last.page + 1)}>
          {loading ? "Loading more…" : last.total_capped ? "Show more people" : `Show more people (${last.total - pages.reduce((n, p) => n + p.items.length, 0)} more)`}
        </button>
      )}
    </>
  );
}

function describeCount(total: number, capped: boolean, filtered: boolean): string {
  const people = capped ? `${total.toLocaleString("en")}+ people` : count(total, "person", "people");
  if (filtered) return total === 1 && !capped ? "1 person matches" : `${people} match`;
  return `${people} listed here`;
}

/** One-tap filters from my own profile: who mentors in what I look for, who looks for what I mentor in, who shares a
 * topic of mine. */
function quickFilters(profile: Profile | null): { key: keyof PeopleFilters; chip: string; topic: string }[] {
  if (!profile) return [];
  return [
    ...profile.mentoring_sought.map((topic) => ({ key: "mentors_in" as const, chip: "Mentors in", topic })),
    ...profile.mentoring_offered.map((topic) => ({ key: "seeks_mentor_in" as const, chip: "Looks for a mentor in", topic })),
    ...profile.topics.map((topic) => ({ key: "topic" as const, chip: "Cares about", topic })),
  ].slice(0, 4);
}

/** Found them in the room: scanning their badge records that we met. */
function MeetButton() {
  return <a class="button secondary small" href="/scan">Scan their badge</a>;
}

function BlockButton(props: { person: Card; onBlock: (person: Card) => void }) {
  return (
    <button type="button" class="button quiet small people-block" onClick={() => props.onBlock(props.person)}>
      Block<span class="sr-only"> {props.person.name}</span>
    </button>
  );
}

/** Blocking asks first, and says what it does. */
function BlockSheet(props: { person: Card; onClose: () => void; onBlocked: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = firstName(props.person.name);
  async function block() {
    setBusy(true);
    setError(null);
    try {
      await blockPerson(props.person.user_id);
      props.onBlocked();
    } catch (problem) {
      setError(problem);
      setBusy(false);
    }
  }
  return (
    <Sheet title={`Block ${props.person.name}?`} onClose={props.onClose}>
      <div class="stack">
        <p>You will no longer see each other anywhere on netevents: not in event lists, suggestions or connections, and you cannot connect by scanning badges. If you met, the connection goes from your list.</p>
        <p class="muted">{name} gets no message; only if they try to scan your badge are they told they cannot connect with you. Your connection ends for both of you; lifting the block later (in your profile) does not bring it back: you would both scan each other's badge again.</p>
        <ErrorNote error={error} />
        <div class="row">
          <button type="button" class="button danger" disabled={busy} onClick={block}>{busy ? "Blocking…" : `Block ${name}`}</button>
          <button type="button" class="button secondary" onClick={props.onClose}>Cancel</button>
        </div>
      </div>
    </Sheet>
  );
}
