// What an exchange can be tagged with, in words: the one place the screens name the standard actions
// (netevents/people/actions.py has their slugs, and a copy of these words that tests/people/test_action_words.py
// keeps in step: the server's emails use them, and no event's own action may read like one). An event's own actions
// are slugs its organizers made, with the words they typed (the API's `labels`); one made before words were kept is
// its slug spelled out.

export const STANDARD_ACTIONS = ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge"] as const;

/** Each standard action as what happened (a connection's tag, a scan's choice) and as what to do (a bingo square). */
const WORDS: Record<string, { done: string; toDo: string }> = {
  introduced: { done: "Introduced ourselves", toDo: "Introduce yourself" },
  asked_advice: { done: "Asked for advice", toDo: "Ask for advice" },
  offered_help: { done: "Offered help", toDo: "Offer help" },
  mentoring: { done: "Talked mentoring", toDo: "Talk about mentoring" },
  shared_knowledge: { done: "Shared knowledge", toDo: "Share what you know" },
};

/** An event's own actions in its organizers' words, by slug: `EventActions.labels`. */
export type ActionLabels = Readonly<Record<string, string>>;

/** The words of one or more events' own actions, together (where two events name a slug, the first's words):
 * what a screen passes to `actionLabel` and `squareLabel`. Events not loaded (null) add nothing. */
export function labelsOf(...events: ({ labels: ActionLabels } | null | undefined)[]): ActionLabels {
  const merged: Record<string, string> = {};
  for (const event of [...events].reverse()) Object.assign(merged, event?.labels);
  return merged;
}

/** An event's own action: its organizer's words, else spelled out. */
function ownWords(slug: string, labels: ActionLabels | undefined): string {
  // Own keys only: a slug may be "constructor", which every object answers to.
  const words = labels && Object.prototype.hasOwnProperty.call(labels, slug) ? labels[slug].trim() : "";
  return words || spelledOut(slug);
}

/** An event's own action spelled out: "pair_programmed" -> "Pair programmed". */
function spelledOut(slug: string): string {
  const words = slug.replace(/_+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An action as what happened: "Asked for advice"; an event's own in `labels`' words: "Talked AI". */
export function actionLabel(action: string, labels?: ActionLabels): string {
  return WORDS[action]?.done ?? ownWords(action, labels);
}

/** An action as a bingo square asks it: "Ask for advice"; an event's own in `labels`' words. */
export function squareLabel(action: string, labels?: ActionLabels): string {
  return WORDS[action]?.toDo ?? ownWords(action, labels);
}
