import { fetchModule } from '../../../src/modules/files/fetch.js';
import { differentialSuite } from './differential.js';

differentialSuite('fetch', { fetch: fetchModule });
