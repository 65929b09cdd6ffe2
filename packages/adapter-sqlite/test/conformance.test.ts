import { runConformanceSuite } from '@state-connector/conformance';
import { sqliteTarget } from './sqlite-store.js';

runConformanceSuite(sqliteTarget);
