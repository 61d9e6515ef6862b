import Bowser from 'bowser';
import { isbot } from 'isbot';
import { LRUCache } from 'lru-cache';
import type { Device } from '../../data/analytics';
import { cleanText } from './request-fields';

/** What a user agent says about the click: device class, browser family, and why it is no person's click. */
export interface ClientClass {
  device: Device;
  browser: string | null;
  /** 'bot' (a crawler or link previewer isbot knows), 'no_user_agent'; null for a browser. */
  botReason: string | null;
}

const BROWSER_MAX_LENGTH = 40;

function classify(userAgent: string): ClientClass {
  if (userAgent === '') return { device: 'other', browser: null, botReason: 'no_user_agent' };
  const parsed = Bowser.parse(userAgent);
  const type = parsed.platform.type;
  const device: Device = type === 'desktop' || type === 'mobile' || type === 'tablet' ? type : 'other';
  return {
    device,
    browser: cleanText(parsed.browser.name, BROWSER_MAX_LENGTH),
    botReason: isbot(userAgent) ? 'bot' : null,
  };
}

/**
 * Classifies user agents, remembering recent ones: a few thousand strings cover nearly all traffic, and parsing
 * one costs far more than the rest of a redirect.
 */
export function createClientClassifier(max = 5000): (userAgent: string | undefined) => ClientClass {
  const seen = new LRUCache<string, ClientClass>({ max });
  return (userAgent = '') => {
    const key = userAgent.length > 512 ? userAgent.slice(0, 512) : userAgent;
    let found = seen.get(key);
    if (!found) {
      found = classify(key);
      seen.set(key, found);
    }
    return found;
  };
}
