import { describe, expect, it } from "vitest";
import { apiQuery, filtersFrom, isFiltered, NO_FILTERS, searchOf } from "./connectionFilters";

describe("connection filters in the address", () => {
  it("reads back what it writes", () => {
    const filters = { eventId: 12, q: "ada", followedUp: "no" as const, page: 3 };
    expect(searchOf(filters)).toBe("?event=12&q=ada&followed_up=false&page=3");
    expect(filtersFrom(searchOf(filters))).toEqual(filters);
  });

  it("writes nothing for no filters, and the first page is the default", () => {
    expect(searchOf(NO_FILTERS)).toBe("");
    expect(filtersFrom("")).toEqual(NO_FILTERS);
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, followedUp: "yes" })).toBe(true);
  });

  it("leaves out what a hand-edited address says wrongly", () => {
    expect(filtersFrom("?event=abc&page=-2&followed_up=maybe")).toEqual(NO_FILTERS);
    expect(filtersFrom("?event=0&page=0")).toEqual(NO_FILTERS);
    expect(filtersFrom("?event=99999999999").eventId).toBeNull();
    expect(filtersFrom(`?q=${"x".repeat(300)}`).q).toHaveLength(100);
  });

  it("asks the API with its own names, without the page", () => {
    expect(apiQuery({ eventId: 4, q: "  kub ", followedUp: "yes", page: 2 })).toEqual({ event_id: "4", q: "kub", followed_up: "true" });
    expect(apiQuery(NO_FILTERS)).toEqual({});
  });
});

