declare module 'geojson-validation' {
  /** With trace=true each check returns the list of problems (empty when valid). */
  const GJV: {
    isGeometryObject(geometry: unknown, trace: true): string[];
    isFeature(feature: unknown, trace: true): string[];
  };
  export default GJV;
}
