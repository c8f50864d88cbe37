// What an exchange can be tagged with, in words: the one place the standard actions are named
// (netevents/people/actions.py has their slugs). An event's own actions are slugs its organizers made.

export const STANDARD_ACTIONS = ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge"] as const;

/** Each standard action as what happened (a connection's tag, a scan's choice) and as what to do (a bingo square). */
const WORDS: Record<string, { done: string; toDo: string }> = {
  introduced: { done: "Introduced ourselves", toDo: "Introduce yourself" },
  asked_advice: { done: "Asked for advice", toDo: "Ask for advice" },
  offered_help: { done: "Offered help", toDo: "Offer help" },
  mentoring: { done: "Talked mentoring", toDo: "Talk about mentoring" },
  shared_knowledge: { done: "Shared knowledge", toDo: "Share what you know" },
};

/** An event's own action spelled out: "pair_programmed" -> "Pair programmed". */
function spelledOut(slug: string): string {
  const words = slug.replace(/_+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An action as what happened: "Asked for advice". */
export function actionLabel(action: string): string {
  return WORDS[action]?.done ?? spelledOut(action);
}

/** An action as a bingo square asks it: "Ask for advice". */
export function squareLabel(action: string): string {
  return WORDS[action]?.toDo ?? spelledOut(action);
}
