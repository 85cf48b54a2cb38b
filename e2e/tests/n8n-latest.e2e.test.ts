import { LATEST } from '../lib/targets';
import { n8nSuite } from './suite';

// n8n 2.41.1 on Node.js 24 from the npm registry.
n8nSuite(LATEST);
