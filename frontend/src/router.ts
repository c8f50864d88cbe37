// Navigation from code, for screens and components (links navigate by themselves): the app's preact-iso
// router, reached outside components too.
import { useLocation } from "preact-iso";

let routeTo: (url: string, replace?: boolean) => void = (url, replace) => {
  if (replace) location.replace(url);
  else location.assign(url);
};

/** Called once by the app with its router's `route`, so code outside components can navigate. */
export function setNavigator(route: typeof routeTo): void {
  routeTo = route;
}

/** Goes to another screen (links do it by themselves). */
export function navigate(to: string, { replace = false } = {}): void {
  routeTo(to, replace);
}

/** The current path, re-rendering on navigation. */
export function usePath(): string {
  return useLocation().path;
}
