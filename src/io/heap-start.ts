/**
 * Imported first by the line tools' bins, so that V8's heap settings
 * (io/memory-limits.ts) hold before anything else is loaded.
 */
import { limitHeap } from './memory-limits.js';

limitHeap();
