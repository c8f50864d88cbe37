import type { ComponentChildren } from "preact";
import { initials, linkWords } from "../lib/people";
import type { PersonCard as Card } from "../lib/types";

/** A person as I may see them (null details are not shared with me, so not shown): name, headline and company,
 * topics and mentoring, the contact details they share with me. `reason`: why to meet them (suggestions);
 * `children`: the card's actions. `headingLevel`: the card's name is a heading of this level in its list. */
export function PersonCard(props: {
  person: Card; connected?: boolean; reason?: string; headingLevel?: 2 | 3; children?: ComponentChildren; preview?: boolean;
}) {
  const { person } = props;
  const Heading = props.headingLevel === 2 ? "h2" : "h3";
  const role = [person.headline, person.company].filter(Boolean).join(" · ");
  const contact = Boolean(person.email || person.phone || person.links?.length);
  return (
    <article class={props.preview ? "person-card preview" : "person-card"} aria-label={props.preview ? undefined : person.name}>
      <div class="person-head">
        <span class="avatar" aria-hidden="true" data-hue={person.user_id % 6}>{initials(person.name)}</span>
        <div class="person-title">
          <Heading class="person-card-name">{person.name}</Heading>
          {role && <p class="person-role">{role}</p>}
          {props.connected && <p class="tag ok person-met">✓ You met</p>}
        </div>
      </div>
      {props.reason && <p class="person-reason"><strong>Why meet: </strong>{props.reason}</p>}
      <TopicLine label="Topics" topics={person.topics} />
      <TopicLine label="Mentors in" topics={person.mentoring_offered} />
      <TopicLine label="Looks for a mentor in" topics={person.mentoring_sought} />
      {contact && (
        <ul class="person-contact">
          {person.email && <li><a href={`mailto:${person.email}`}>{person.email}</a></li>}
          {person.phone && <li><a href={`tel:${person.phone.replace(/[^\d+]/g, "")}`}>{person.phone}</a></li>}
          {person.links?.map((link) => <li><a class="one-line" href={link.url} title={link.url} rel="noopener noreferrer" target="_blank">{linkWords(link)}</a></li>)}
        </ul>
      )}
      {props.children && <div class="person-actions">{props.children}</div>}
    </article>
  );
}

function TopicLine(props: { label: string; topics: readonly string[] | null | undefined }) {
  if (!props.topics?.length) return null;
  return (
    <div class="person-topics">
      <span class="person-topics-label">{props.label}</span>
      <ul class="topics">{props.topics.map((topic) => <li class="tag">{topic}</li>)}</ul>
    </div>
  );
}
