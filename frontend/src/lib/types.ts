// Shapes of the API's answers that the web app reads, named for the app. They are the OpenAPI
// document's own schemas (openapi.json, served at /api/v1/openapi.json), as generated into
// api-schema.ts by `make api-types`: never copy a shape by hand here. Where a type and a screen
// disagree, the screen follows the type, and the document is what to change.
import type { components } from "./api-schema";

type Schemas = components["schemas"];

export type EventKind = Schemas["EventKind"];
export type EventStatus = Schemas["EventStatus"];
export type EventSummary = Schemas["EventSummary"];
/** An event as its page and its organizers see it. */
export type NetEvent = Schemas["Event"];

export type RegistrationStatus = Schemas["RegistrationStatus"];
export type Registration = Schemas["Registration"];
/** What an operation that works by email answers (registering an address as anyone but its signed-in owner). */
export type Accepted = Schemas["Accepted"];
/** After the form: the registration itself (signed in as its owner), or where its badge was sent. */
export type Registered = { registration: Registration } | { sent: { name: string; email: string; message: string } };

export type Link = Schemas["Link"];
export type Profile = Schemas["Profile"];
/** What sign-up and sign-in answer. */
export type TokenAnswer = Schemas["Token"];
export type BadgeCard = Schemas["BadgeCard"];

export type ScanAnswer = Schemas["ScanAnswer"];
/** Why a scan was refused: the door and its messages have words for each. */
export type ScanReason = Schemas["ScanReason"];
export type Direction = Schemas["Direction"];

/** A person registered at the door: what the door sends, and the registration and check-in it gets back. */
export type WalkInInput = Schemas["WalkInInput"];
export type WalkIn = Schemas["WalkIn"];

export type Station = Schemas["Station"];
export type Attendance = Schemas["Attendance"];
export type ScanLogEntry = Schemas["ScanLogEntry"];
/** A self check-in poster (one per entrance); its QR code and URL only in the answer that makes or replaces it. */
export type Poster = Schemas["Poster"];
export type PrintablePoster = Schemas["PrintablePoster"];
/** An attendee's check-in at a poster: the door's answer, the poster's event and name. */
export type SelfCheckIn = Schemas["SelfCheckIn"];

// Meeting people (exchanges, connections, directory, suggestions, summary, my data).
export type ExchangeInput = Schemas["ExchangeInput"];
export type ExchangeAnswer = Schemas["ExchangeAnswer"];
export type ExchangeReason = Schemas["ExchangeReason"];
export type Connection = Schemas["Connection"];
/** An event where I met people in my list, with how many. */
export type ConnectionEvent = Schemas["ConnectionEvent"];
export type PersonCard = Schemas["PersonCard"];
export type DirectoryEntry = Schemas["DirectoryEntry"];
export type Suggestion = Schemas["Suggestion"];
export type Sharing = Schemas["Sharing"];
export type Visibility = Schemas["Visibility"];
export type Block = Schemas["Block"];
export type EventActions = Schemas["EventActions"];
export type PeopleYouMet = Schemas["PeopleYouMet"];
export type Export = Schemas["Export"];
export type EmailPreferences = Schemas["EmailPreferences"];

// Networking bingo.
export type Bingo = Schemas["Bingo"];
export type BingoCard = Schemas["Card"];
export type Round = Schemas["Round"];
export type RoundSummary = Schemas["RoundSummary"];
export type Leaderboard = Schemas["Leaderboard"];

// Organizer results and mail.
export type Network = Schemas["Network"];
export type EventMail = Schemas["EventMail"];
export type FollowUpPreview = Schemas["FollowUpPreview"];
export type FollowUpState = Schemas["FollowUpState"];
