// The console's screens, in navigation order. Chat and analytics come with those features, one module each.
import {upload} from './upload.js';
import {jobs} from './jobs.js';
import {search} from './search.js';
import {deadLetters} from './dead-letters.js';
import {analytics} from './analytics.js';

export const screens = [upload, jobs, search, deadLetters, analytics];
