// Lets a child `node` process run fedctl from src/ without a build: `node --import
// ./test/support/ts-register.mjs src/bin.ts ...`. Tests that must kill a real process (kill -9
// mid-apply) use it, so they exercise the sources under test rather than a possibly stale dist/.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
