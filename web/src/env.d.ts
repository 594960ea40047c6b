// Vite turns style imports into the built CSS file.
declare module '*.scss';
