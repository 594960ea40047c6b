/** What the consultation page exposes for developer tools and the browser tests. */
interface Window {
  haenauConsult?: { map: import('maplibre-gl').Map };
}
