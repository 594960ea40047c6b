// Vite turns style imports into the built CSS file.
declare module '*.scss';

/** What main.ts exposes for developer tools and the browser tests. */
interface Window {
  haenau?: { map: import('maplibre-gl').Map; app: import('./app-state').AppState };
}
