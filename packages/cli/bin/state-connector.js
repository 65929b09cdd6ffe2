#!/usr/bin/env node
// A committed entry point, so that pnpm can link the command before the first build.
import '../dist/bin.js';
