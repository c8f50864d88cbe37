import { useLocation } from "preact-iso";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../../components/Form";
import { MagicLinkForm } from "../../components/MagicLinkForm";
import { Page, useSession } from "../../components/Page";
import { LoadFailed, SkeletonCards } from "../../components/Status";
import { api, type Page as ApiPage } from "../../lib/api";
import { downloadFile } from "../../lib/download";
import type { ActionLabels } from "../../lib/actions";
import { blockedName } from "../../lib/people";
import { count } from "../../lib/plural";
import type { Block, Connection, ConnectionEvent } from "../../lib/types";
import { type Loaded, useLoad } from "../../lib/useLoad";
import { ConnectionCard } from "./ConnectionCard";
import { groupByEvent, groupCountWords } from "./connectionGroups";
import { useEventLabels } from "./useEventLabels";
import { apiQuery, type ConnectionFilters, filtersFrom, type FollowedUp, isFiltered, NO_FILTERS, searchOf } from "./connectionFilters";
import { ConnectionSheet } from "./ConnectionSheet";
import "./connections.css";

const PER_PAGE = 20;

/** `/me/connections`: the people I met, by event, with my notes; filters kept in the address. */
export default function Connections() {
  const session = useSession();
  if (!session) {
    return (
      <Page title="My connections">
        <p>Sign in to see the people you met, your notes about them and what they share with you. We email you a link; no password needed.</p>
        <MagicLinkForm next="/me/connections" />
      </Page>
    );
  }
  return <ConnectionList />;
}

/** The filters in the address, and a way to change them (replacing the address: typing is not history). A link
 * or the back button to other filters on this screen is read again. */
function useFilters(): [ConnectionFilters, (change: Partial<ConnectionFilters>) => void] {
  const [filters, setFilters] = useState(() => filtersFrom(location.search));
  const { url } = useLocation();
  useEffect(() => setFilters(filtersFrom(location.search)), [url]);
  const change = useCallback((update: Partial<ConnectionFilters>) => {
    setFilters((current) => {
      const next = { ...current, page: 1, ...update };
      history.replaceState(history.state, "", location.pathname + searchOf(next));
      return next;
    });
  }, []);
  return [filters, change];
}

function ConnectionList() {
  const [filters, setFilter] = useFilters();
  const [typed, setTyped] = useState(filters.q);
  const [open, setOpen] = useState<Connection | null>(null);
  const [news, setNews] = useState<string | null>(null);
  const newsNote = useRef<HTMLParagraphElement>(null);
  // After a removal or a block the opened card is gone: the focus goes to what happened, not to the page.
  useEffect(() => {
    if (news) newsNote.current?.focus();
  }, [news]);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const query = apiQuery(filters);
  const { eventId, q, followedUp, page: pageNumber } = filters;
  const list = useLoad(
    () => api<ApiPage<Connection>>("/me/connections", {
      query: { ...apiQuery({ eventId, q, followedUp, page: pageNumber }), page: pageNumber, per_page: PER_PAGE },
    }),
    [eventId, q, followedUp, pageNumber],
  );
  const events = useLoad(() => api<{ items: ConnectionEvent[] }>("/me/connections/events"));
  const blocks = useLoad(() => api<ApiPage<Block>>("/me/blocks", { query: { per_page: 100 } }));

  // A search from the address (a link, the back button) shows in the box; one being typed is left alone.
  useEffect(() => setTyped((current) => (current.trim() === filters.q ? current : filters.q)), [filters.q]);
  // Searching as one types, a moment after the last key.
  useEffect(() => {
    if (typed.trim() === filters.q) return;
    const timer = setTimeout(() => setFilter({ q: typed.trim() }), 350);
    return () => clearTimeout(timer);
  }, [typed, filters.q, setFilter]);

  const page = list.data;
  const labels = useEventLabels(page?.items ?? []);
  const fresh = list.loading && !page;
  const filtered = isFiltered(filters);
  const selectedEvent = events.data?.items.find((e) => e.event_id === filters.eventId) ?? null;
  const nobodyYet = !filtered && page?.total === 0;

  function saved(updated: Connection) {
    setOpen(updated);
    if (page) list.set({ ...page, items: page.items.map((c) => (c.id === updated.id ? updated : c)) });
    events.reload();
  }

  function gone(message: string) {
    setOpen(null);
    setNews(message);
    list.reload();
    events.reload();
    blocks.reload();
  }

  /** Another page, read from its top. */
  function turnTo(pageNumber: number) {
    setFilter({ page: pageNumber });
    window.scrollTo({ top: 0 });
  }

  async function download(kind: "vcf" | "csv") {
    setDownloadError(null);
    setDownloading(kind);
    try {
      const accept = kind === "vcf" ? "text/vcard" : "text/csv";
      await downloadFile(`/me/connections.${kind}`, `connections.${kind}`, accept, query);
    } catch (problem) {
      setDownloadError(problem);
    } finally {
      setDownloading(null);
    }
  }

  return (
    <Page title="My connections" wide back={{ href: "/me", label: "My events" }}>
      <p class="muted intro">The people you met, as each of them shares with you now. Your notes and tags are yours alone.</p>
      {news && <p class="note ok" role="status" tabIndex={-1} ref={newsNote}>{news}</p>}

      {!nobodyYet && (
        <form class="connection-filters" role="search" onSubmit={(e) => {
          e.preventDefault();
          setFilter({ q: typed.trim() });
        }}>
          <div class="field filter-search">
            <label for="connection-search">Search</label>
            <input id="connection-search" type="search" placeholder="Name, company or headline" value={typed} autoComplete="off"
              enterKeyHint="search" maxLength={100} onInput={(e) => setTyped(e.currentTarget.value)} />
          </div>
          <div class="field filter-event">
            <label for="connection-event">Event</label>
            <select id="connection-event" value={filters.eventId ?? ""} onChange={(e) => {
              const value = e.currentTarget.value;
              setFilter({ eventId: value ? Number(value) : null });
            }}>
              <option value="">All events</option>
              {events.data?.items.map((e) => <option value={e.event_id}>{e.title} ({e.connections})</option>)}
              {filters.eventId !== null && !selectedEvent && <option value={filters.eventId}>This event</option>}
            </select>
          </div>
          <fieldset class="filter-followed">
            <legend class="label">Follow-up</legend>
            <div class="segmented">
              {([["any", "All"], ["no", "Not yet"], ["yes", "Followed up"]] as [FollowedUp, string][]).map(([value, label]) => (
                <label class={filters.followedUp === value ? "segment on" : "segment"}>
                  <input type="radio" name="followed_up" value={value} checked={filters.followedUp === value}
                    onChange={() => setFilter({ followedUp: value })} />
                  <span>{label}</span>
                </label>
              ))}
            </div>
          </fieldset>
        </form>
      )}

      {!nobodyYet && page && (
        <div class="list-bar">
          <p class="muted" role="status">
            {filtered ? `${count(page.total, "person matches", "people match")}` : `${count(page.total, "person", "people")} in your connections`}
            {filtered && <> · <button type="button" class="link-button" onClick={() => {
              setTyped("");
              setFilter(NO_FILTERS);
            }}>Clear filters</button></>}
          </p>
          {page.total > 0 && (
            <div class="row downloads">
              <button type="button" class="button secondary small" disabled={downloading !== null} onClick={() => download("vcf")}>
                {downloading === "vcf" ? "Preparing…" : "Download vCards"}
              </button>
              <button type="button" class="button secondary small" disabled={downloading !== null} onClick={() => download("csv")}>
                {downloading === "csv" ? "Preparing…" : "Download CSV"}
              </button>
            </div>
          )}
        </div>
      )}
      {page && page.total > 0 && filtered && <p class="hint download-hint">Downloads hold the {count(page.total, "person", "people")} this list shows.</p>}
      <ErrorNote error={downloadError} />

      {selectedEvent && (
        <p class="event-summary-link">
          <a href={`/me/connections/events/${selectedEvent.event_id}`}>Your summary of {selectedEvent.title} →</a>
        </p>
      )}

      {fresh && <SkeletonCards what="your connections" count={4} />}
      {list.error && <LoadFailed error={list.error} retry={list.reload} />}

      {nobodyYet && (
        <div class="card empty-state" data-testid="no-connections">
          <h2>Nobody here yet</h2>
          <p>At an event, scan someone’s badge to say you met. They appear here with where you met, your notes, and the contact details they share with you.</p>
          <a class="button primary" href="/scan">Scan a badge</a>
        </div>
      )}
      {!nobodyYet && page?.total === 0 && (
        <p class="card" role="status">Nobody matches these filters. Try another word, another event, or clear the filters.</p>
      )}

      {page && page.items.length > 0 && (
        <Groups items={page.items} eventId={filters.eventId} labels={labels} events={filtered ? [] : events.data?.items ?? []} onOpen={setOpen} />
      )}

      {page && page.pages > 1 && (
        <nav class="pager" aria-label="Pages of connections">
          <button type="button" class="button secondary small" disabled={filters.page <= 1} onClick={() => turnTo(filters.page - 1)}>← Previous</button>
          <span>Page {page.page} of {page.pages}</span>
          <button type="button" class="button secondary small" disabled={filters.page >= page.pages} onClick={() => turnTo(filters.page + 1)}>Next →</button>
        </nav>
      )}

      <Blocked blocks={blocks} onUnblocked={(name) => {
        setNews(`You unblocked ${name}.`);
        blocks.reload();
      }} />

      {open && <ConnectionSheet key={open.id} connection={open} onClose={() => setOpen(null)} onSaved={saved} onGone={gone} />}
    </Page>
  );
}

/** The page's connections under one heading per event (the event of each one's latest meeting), each heading
 * linking to my summary of that event. */
function Groups(props: { items: Connection[]; eventId: number | null; labels: ActionLabels; events: ConnectionEvent[]; onOpen: (c: Connection) => void }) {
  return (
    <>
      {groupByEvent(props.items, props.eventId).map((group) => {
        const known = props.events.find((e) => e.event_id === group.eventId);
        return (
          <section class="connection-group" aria-label={`Met at ${group.title}`}>
            <div class="group-head">
              <h2>{group.title}</h2>
              {known && <span class="muted group-count">{groupCountWords(group.items.length, known)}</span>}
              {group.eventId !== null && <a class="group-link" href={`/me/connections/events/${group.eventId}`}>Event summary<span class="sr-only">: {group.title}</span>{"\u00a0→"}</a>}
            </div>
            <ul class="list connection-grid">
              {group.items.map((c) => <ConnectionCard connection={c} eventId={props.eventId} labels={props.labels} onOpen={props.onOpen} />)}
            </ul>
          </section>
        );
      })}
    </>
  );
}

/** The people I blocked, to unblock. */
function Blocked(props: { blocks: Loaded<ApiPage<Block>>; onUnblocked: (name: string) => void }) {
  const [confirming, setConfirming] = useState<Block | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const items = props.blocks.data?.items ?? [];
  if (!props.blocks.data || items.length === 0) return null;

  async function unblock(block: Block) {
    setBusy(true);
    setError(null);
    try {
      await api(`/me/blocks/${block.user_id}`, { method: "DELETE" });
      setConfirming(null);
      props.onUnblocked(block.name ?? "them");
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="card blocked" data-testid="blocked">
      <summary><h2 class="summary-heading">Blocked people ({items.length})</h2></summary>
      <p class="muted">You and they are hidden from each other everywhere, and cannot connect.</p>
      <ErrorNote error={error} />
      <ul class="list blocked-list">
        {items.map((block) => {
          const name = blockedName(block);
          return (
            <li>
              <div class="blocked-who"><strong>{name}</strong><span class="meta">Blocked {new Date(block.blocked_at).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" })}</span></div>
              {confirming?.user_id === block.user_id ? (
                <div class="confirm-inline">
                  <p>Unblock {name}? You can see each other again where your sharing allows. The connection the block ended does not come back, for either of you: you both scan each other's badge to connect again.</p>
                  <div class="row">
                    <button type="button" class="button primary small" disabled={busy} onClick={() => unblock(block)}>Unblock</button>
                    <button type="button" class="button quiet small" onClick={() => setConfirming(null)}>Cancel</button>
                  </div>
                </div>
              ) : (
                <button type="button" class="button secondary small" aria-label={`Unblock ${name}`} onClick={() => setConfirming(block)}>Unblock</button>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
