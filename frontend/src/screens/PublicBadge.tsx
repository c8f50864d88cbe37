import { Page } from "../components/Page";
import { LoadFailed, Loading } from "../components/Status";
import { api } from "../lib/api";
import { formatEventTime } from "../lib/time";
import type { BadgeCard } from "../lib/types";
import { useLoad } from "../lib/useLoad";

/** `/b/{secret}`: what a plain phone camera opens from a badge QR: the person's public card (what the printed badge
 * shows) and their event. */
export default function PublicBadge(props: { params: { secret: string } }) {
  const secret = props.params.secret;
  const card = useLoad(() => api<BadgeCard>(`/badges/${encodeURIComponent(secret)}`, { auth: "none" }), [secret]);
  const c = card.data;
  if (!c) {
    return (
      <Page title={card.error ? "Badge not found" : "Badge"}>
        {card.loading ? <Loading what="the badge" /> : <LoadFailed error={card.error} retry={card.reload} />}
        {card.error ? <p>This badge may have been replaced or cancelled. Ask the person for their current badge.</p> : null}
      </Page>
    );
  }
  return (
    <Page title={c.name}>
      <div class="card">
        {(c.headline || c.company) && <p class="person-sub"><strong>{[c.headline, c.company].filter(Boolean).join(" · ")}</strong></p>}
        {/* Anyone may hold this link: it shows what the printed badge shows, never a contact detail. */}
        <p class="muted">Met {c.name}? Scan this badge with <a href="/scan">Scan to meet</a> to connect and see what they share with the people they meet.</p>
      </div>
      <div class="card">
        <p class="label">Attending</p>
        <p><a href={`/e/${c.event.id}`}>{c.event.title}</a><br /><span class="muted">{formatEventTime(c.event)}</span></p>
        {c.status === "waitlisted" && <p class="tag warn">On the waitlist</p>}
        {c.event.kind === "webinar" && <a class="button primary" href={`/j/${encodeURIComponent(secret)}`}>Join the webinar</a>}
      </div>
      <details class="card">
        <summary>Show this badge's QR code</summary>
        <img class="card-qr" src={c.qr_svg_url} alt={`Badge QR code of ${c.name}`} />
        <p class="hint">This is {c.name}'s badge. Whoever holds this link can show it at the door.</p>
      </details>
    </Page>
  );
}
