import { statModule } from '../../../src/modules/files/stat.js';
import { differentialSuite } from './differential.js';

differentialSuite('stat', { stat: statModule });
