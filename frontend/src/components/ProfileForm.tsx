import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import { SHARED_DETAILS, VISIBILITY_CHOICES } from "../lib/people";
import { saveDraft, saveProfile, type ProfileBody } from "../lib/profileDraft";
import type { Profile, Sharing, Visibility } from "../lib/types";
import { ErrorNote, Field, focusFirstInvalid, useFieldErrors } from "./Form";

const SHARING = [
  { value: "public", label: "Everyone at the event", help: "People at your events (attendees and organizers) see your email and link. The public page your badge's QR code opens never shows them." },
  { value: "connections", label: "Only people I meet", help: "Shared once one of you scans the other's badge or types its code." },
  { value: "nobody", label: "Nobody", help: "Only your name, headline and company are shown." },
];

const list = (text: string) => text.split(",").map((item) => item.trim()).filter(Boolean);
const joined = (items: string[] | undefined) => (items ?? []).join(", ");

/** Your profile and sharing choices (PATCH /me): what people you meet learn about you, and who sees your contact details.
 * `registrationId`: the badge just made also prints the new headline and company. `draftFor`: not signed in yet, so the
 * choices are kept on this phone until the emailed sign-in link is opened here (profileDraft.ts).
 * `detailed` (my profile page): the name and phone too, and who sees each detail, one by one, instead of the one
 * choice for email and link; `preview` shows, before the button, what the body being edited would share. */
export function ProfileForm(props: {
  initial?: Partial<ProfileBody>; registrationId?: number; onSaved?: (profile: Profile | null) => void;
  draftFor?: { email: string; eventId: number }; initialError?: unknown;
  detailed?: boolean; preview?: (body: ProfileBody) => ComponentChildren; class?: string;
}) {
  const initial = props.initial ?? {};
  // Email and link shared differently (chosen one by one in my profile): the one choice here shows none of its
  // options, and the form changes them only if I pick one.
  const mixedContact = Boolean(initial.sharing && initial.sharing.email !== initial.sharing.links);
  const [sharing, setSharing] = useState<Required<Sharing>>({
    email: "connections", phone: "connections", links: "connections", company: "everyone", headline: "everyone", ...initial.sharing,
  });
  const [form, setForm] = useState({
    headline: initial.headline ?? "", company: initial.company ?? "", topics: joined(initial.topics),
    mentoring_offered: joined(initial.mentoring_offered), mentoring_sought: joined(initial.mentoring_sought),
    link: initial.links?.[0]?.url ?? "", contact_sharing: mixedContact ? "" : initial.contact_sharing ?? "connections",
    directory_opt_in: initial.directory_opt_in ?? false, name: initial.name ?? "", phone: initial.phone ?? "",
  });
  const [error, setError] = useState<unknown>(props.initialError ?? null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [contactChosen, setContactChosen] = useState(false);
  const fields = useFieldErrors(props.initialError);
  const element = useRef<HTMLFormElement>(null);
  const status = useRef<HTMLParagraphElement>(null);
  const set = (name: keyof typeof form) => (event: Event) => {
    const target = event.target as HTMLInputElement;
    setForm({ ...form, [name]: target.type === "checkbox" ? target.checked : target.value });
    fields.clear(name === "link" ? "links" : name);
    if (name === "contact_sharing") setContactChosen(true);
    setSaved(false);
  };

  const share = (detail: keyof Sharing) => (event: Event) => {
    setSharing({ ...sharing, [detail]: (event.target as HTMLSelectElement).value as Visibility });
    fields.clear("sharing");
    setSaved(false);
  };

  /** The profile as the form has it now. */
  function body(): ProfileBody {
    const edited: ProfileBody = {
      headline: form.headline, company: form.company, topics: list(form.topics),
      mentoring_offered: list(form.mentoring_offered), mentoring_sought: list(form.mentoring_sought),
      directory_opt_in: form.directory_opt_in, links: [],
      ...(props.detailed ? { name: form.name, phone: form.phone, sharing } : {}),
      // Sent only when chosen here: saving a headline must not change who sees an email or link set elsewhere.
      ...(!props.detailed && (contactChosen || !props.initial)
        ? { contact_sharing: form.contact_sharing as ProfileBody["contact_sharing"] }
        : {}),
    };
    const url = form.link.trim();
    const kept = initial.links?.[0];
    if (url && kept && kept.url === url) {
      edited.links = [...(initial.links ?? [])]; // unchanged: its label as I gave it
    } else if (url) {
      let label = "Website";
      try {
        label = new URL(url).hostname.replace(/^www\./, "").slice(0, 40);
      } catch {
        // the server explains what is wrong with the address
      }
      edited.links = [{ label, url }, ...(initial.links ?? []).slice(1)];
    } else {
      edited.links = (initial.links ?? []).slice(1);
    }
    return edited;
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let profile: Profile | null = null;
      if (props.draftFor) saveDraft(props.draftFor.email, props.draftFor.eventId, body());
      else profile = await saveProfile(body(), props.registrationId);
      setSaved(true);
      props.onSaved?.(profile);
      requestAnimationFrame(() => status.current?.focus());
    } catch (problem) {
      setError(problem);
      fields.show(problem);
      focusFirstInvalid(element.current);
    } finally {
      setBusy(false);
    }
  }

  const { errors } = fields;
  const shown = ["headline", "company", "topics", "mentoring_offered", "mentoring_sought", "links", "contact_sharing", "directory_opt_in", ...(props.detailed ? ["name", "phone", "sharing"] : [])];
  const formLevel = Object.keys(errors).some((name) => shown.includes(name)) ? null : error;
  return (
    <form ref={element} class={props.class ? `stack ${props.class}` : "stack"} onSubmit={submit} noValidate>
      {props.detailed && <Field label="Name" name="name" required autoComplete="name" value={form.name} onInput={set("name")} error={errors.name} />}
      <div class="two">
        <Field label="Headline" name="headline" value={form.headline} onInput={set("headline")} placeholder="Staff engineer, platform" error={errors.headline} />
        <Field label="Company" name="company" autoComplete="organization" value={form.company} onInput={set("company")} error={errors.company} />
      </div>
      <Field label="Topics you care about" name="topics" value={form.topics} onInput={set("topics")} hint="Separate with commas, e.g. Kubernetes, tech leadership" error={errors.topics} />
      <div class="two">
        <Field label="You can mentor in" name="mentoring_offered" value={form.mentoring_offered} onInput={set("mentoring_offered")} hint="Commas between topics" error={errors.mentoring_offered} />
        <Field label="You look for a mentor in" name="mentoring_sought" value={form.mentoring_sought} onInput={set("mentoring_sought")} hint="Commas between topics" error={errors.mentoring_sought} />
      </div>
      <Field label="A link about you" name="link" type="url" inputMode="url" value={form.link} onInput={set("link")} placeholder="https://…" error={errors.links} />
      {props.detailed && <Field label="Phone" name="phone" type="tel" autoComplete="tel" value={form.phone} onInput={set("phone")} placeholder="+49 30 1234567" error={errors.phone} />}
      {props.detailed ? (
        <fieldset class={errors.sharing ? "sharing invalid-group" : "sharing"}>
          <legend>Who sees what</legend>
          <p class="hint">Your name is always shown to people at your events. The public page your badge's QR code opens shows your name, and your headline and company if they are shared with “Everyone at my events”; never your email, phone or link.</p>
          {SHARED_DETAILS.map(({ detail, label }) => (
            <div class="sharing-row">
              <label for={`sharing-${detail}`}>{label}</label>
              <select id={`sharing-${detail}`} name={`sharing-${detail}`} value={sharing[detail]} onChange={share(detail)}>
                {VISIBILITY_CHOICES.map((choice) => <option value={choice.value}>{choice.label}</option>)}
              </select>
            </div>
          ))}
          {errors.sharing && <p class="error">{errors.sharing}</p>}
        </fieldset>
      ) : <fieldset class={errors.contact_sharing ? "invalid-group" : undefined}>
        <legend>Who sees your email and link</legend>
        {mixedContact && !contactChosen && (
          <p class="hint">Your email and link are shared differently now, as set in your profile; choosing here sets both.</p>
        )}
        {SHARING.map((option) => (
          <div class="choice">
            <input type="radio" id={`sharing-${option.value}`} name="contact_sharing" value={option.value} aria-describedby={`sharing-${option.value}-help`}
              checked={form.contact_sharing === option.value} onChange={set("contact_sharing")} />
            <span><label for={`sharing-${option.value}`}>{option.label}</label><small id={`sharing-${option.value}-help`}>{option.help}</small></span>
          </div>
        ))}
        {errors.contact_sharing && <p class="error">{errors.contact_sharing}</p>}
      </fieldset>}
      <label class="check" id={props.detailed ? "directory" : undefined}>
        <input type="checkbox" name="directory_opt_in" checked={form.directory_opt_in} onChange={set("directory_opt_in")} />
        <span>List me in the directory of every event I attend, so other attendees can find me<small class="hint">{props.detailed
          ? "Your topics and mentoring show to them too, and you appear in their suggestions. Untick to leave every event's directory at once."
          : props.draftFor
            ? "One choice for all your events. If you have a profile already, its choice stays until you confirm a change once signed in."
            : "One choice for all your events: the one in your profile, shown as it stands."}</small></span>
      </label>
      {props.preview?.(body())}
      <ErrorNote error={formLevel} />
      {saved && (props.draftFor
        ? <p class="note ok" role="status" tabIndex={-1} ref={status}>Kept on this phone. Open the sign-in link we emailed to <strong>{props.draftFor.email}</strong> here, and your profile is saved: the link proves the address is yours.</p>
        : <p class="note ok" role="status" tabIndex={-1} ref={status}>Saved. People you meet see your profile as you chose.</p>)}
      <button class="button primary block" disabled={busy}>{busy ? "Saving…" : "Save my profile"}</button>
    </form>
  );
}
