import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM } from './clients';

/** Headless Debian Chromium with a software GL, so MapLibre renders without a GPU. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
