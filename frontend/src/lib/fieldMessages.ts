// A field's error in words a person can act on. The API's validators say what is wrong in their own
// terms ("Length must be between 1 and 120.", "Not a valid email address."); next to a form field
// we say what to do instead. A message the server wrote for people (it names specifics, such as
// "ada@example.org is already registered for this event") is kept as it is.
import { ApiError } from "./api";

/** What to do, per field, when its validator refused the value. */
const FIELD_HELP: Record<string, string> = {
  name: "Type the name to print on the badge (up to 120 characters).",
  email: "Type an email address, like ada@example.org: the badge is sent there.",
  headline: "Keep your headline under 160 characters, like “Staff engineer, platform”.",
  company: "Keep the company name under 120 characters.",
  topics: "List up to 20 topics, separated by commas, each under 40 characters.",
  mentoring_offered: "List the topics you can mentor in, separated by commas, each under 40 characters.",
  mentoring_sought: "List the topics you want a mentor in, separated by commas, each under 40 characters.",
  links: "Give a full web address starting with https://, like https://example.org/me.",
  contact_sharing: "Choose who sees your email and link.",
  directory_opt_in: "Tick the box, or leave it empty.",
  phone: "Type a phone number with digits, spaces and an optional leading +.",
  // Searching the people at an event
  q: "Search with up to 100 characters: a name, a company, a headline or a topic.",
  topic: "Type one topic, up to 40 characters.",
  mentors_in: "Type one topic, up to 40 characters.",
  seeks_mentor_in: "Type one topic, up to 40 characters.",
  // Events (organizers)
  title: "Give the event a title (up to 200 characters).",
  description: "Keep the description under 10,000 characters.",
  venue: "Say where it happens, in up to 300 characters.",
  online_url: "Give the meeting's full address, starting with https://.",
  capacity: "Give the number of places (1 to 100,000), or leave it empty for no limit.",
  timezone: "Pick a time zone from the list, like Europe/Berlin.",
  starts_at: "Pick the date and time it starts.",
  ends_at: "Pick the date and time it ends.",
};

/** Validator wording (marshmallow's and ours), as opposed to sentences written for people. A refused character
 * is not among them: its message names the field, the character and the fix ("The title contains a bidirectional
 * control character (U+202E at character 4) ... remove that character"), which the field's help would not. */
const VALIDATOR_TEXT = [
  /^Length must be/i, /^Shorter than/i, /^Longer than/i, /^Not a valid/i, /^Missing data/i, /^Field may not be/i,
  /^Must be one of/i, /^Must be greater/i, /^Must be less/i, /^Unknown field/i, /^String does not match/i,
  /^Invalid (value|input|url)/i, /\bnull\b/,
  // Nothing visible typed (an empty name, or only spaces or blank fillers): the field's help says what to type.
  /^The [\w ]+ has no visible letter/i,
];

export function isValidatorText(message: string): boolean {
  return VALIDATOR_TEXT.some((pattern) => pattern.test(message.trim()));
}

/** The top-level field a possibly nested error key belongs to: "links.0.url" -> "links". */
export function baseField(key: string): string {
  return key.split(".")[0];
}

/** Words a form uses instead of the usual ones for some fields (the organizer's own name is not a badge's). */
export type FieldWords = Record<string, string>;

/** The message to show next to `field` for the server's `message` about it. */
export function fieldMessage(field: string, message: string, words: FieldWords = {}): string {
  const help = words[baseField(field)] ?? FIELD_HELP[baseField(field)];
  return help && isValidatorText(message) ? help : message;
}

/** Field -> one message in words, for every field an ApiError names (nested keys folded into their field). */
export function fieldErrors(error: unknown, words: FieldWords = {}): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const found: Record<string, string> = {};
  for (const [key, messages] of Object.entries(error.fields)) {
    const field = baseField(key);
    if (!found[field] && messages[0]) found[field] = fieldMessage(key, messages[0], words);
  }
  return found;
}
