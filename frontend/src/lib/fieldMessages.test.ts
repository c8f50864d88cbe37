import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { fieldErrors, fieldMessage } from "./fieldMessages";

describe("field messages", () => {
  it("says what to do instead of the validator's wording", () => {
    expect(fieldMessage("name", "Length must be between 1 and 120.")).toBe(
      "Type the name to print on the badge (up to 120 characters).",
    );
    expect(fieldMessage("email", "Not a valid email address.")).toContain("like ada@example.org");
    expect(fieldMessage("links.0.url", "Not a valid URL.")).toContain("https://");
    const blank =
      "The name has no visible letter: type the name in letters, digits or signs that show (spaces, invisible and " +
      "blank-looking characters alone show nothing).";
    expect(fieldMessage("name", blank)).toBe("Type the name to print on the badge (up to 120 characters).");
  });

  it("keeps a message the server wrote for people", () => {
    const taken = "ada@example.org is already registered for this event. Look for the confirmation email.";
    expect(fieldMessage("email", taken)).toBe(taken);
  });

  it("keeps the server's words for a refused character: they name it and the fix, the title's help does not", () => {
    const bidi =
      "The title contains a bidirectional control character (U+202E at character 4), which would show it in " +
      "another order than it is written; remove that character and send the text as it reads.";
    expect(fieldMessage("title", bidi)).toBe(bidi);
    const lineBreak = "The name contains a control character (U+000A at character 3); it is one line of text, without line breaks or tabs.";
    expect(fieldMessage("name", lineBreak)).toBe(lineBreak);
  });

  it("says how long a search of the people here may be, and keeps the words naming a refused character", () => {
    expect(fieldMessage("q", "Longer than maximum length 100.")).toBe("Search with up to 100 characters: a name, a company, a headline or a topic.");
    expect(fieldMessage("topic", "Longer than maximum length 40.")).toBe("Type one topic, up to 40 characters.");
    const bidi = "The q contains a bidirectional control character (U+202E at character 1), which would show it in another order than it is written; remove that character and send the text as it reads.";
    expect(fieldMessage("q", bidi)).toBe(bidi);
  });

  it("folds nested keys into their field and keeps the first message", () => {
    const error = new ApiError(422, "invalid_input", "Some fields need fixing", {
      "topics.3": ["Longer than maximum length 40."],
      name: ["Missing data for required field.", "Other"],
    });
    expect(fieldErrors(error)).toEqual({
      topics: "List up to 20 topics, separated by commas, each under 40 characters.",
      name: "Type the name to print on the badge (up to 120 characters).",
    });
    expect(fieldErrors(new Error("boom"))).toEqual({});
  });
});
