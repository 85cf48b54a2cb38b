import { STABLE } from '../lib/targets';
import { n8nSuite } from './suite';

// n8n 2.8.4 on the system Node.js 20.
n8nSuite(STABLE);
