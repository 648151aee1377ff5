// The console's screens, in navigation order, one module each.
import {upload} from './upload.js';
import {jobs} from './jobs.js';
import {search} from './search.js';
import {deadLetters} from './dead-letters.js';
import {chat} from './chat.js';
import {analytics} from './analytics.js';

export const screens = [upload, jobs, search, chat, deadLetters, analytics];
