// Headless Debian Chromium for browser tests, through playwright-core. The flags keep Chromium off
// the network (this machine reaches only package registries) and work as root.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SX_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Chromium's own fake camera and microphone (a test pattern and a beep), allowed without a prompt.
export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
}
