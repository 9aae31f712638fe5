// Worker threads do not inherit tsx's loader: register it, then load the benchmark.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
