// Service worker placeholder: the offline caching of the door and badge screens lands with the web app.
self.addEventListener("install", () => self.skipWaiting());
