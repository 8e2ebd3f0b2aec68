import pkg from '../package.json';

export const AGENT_VERSION: string = pkg.version;
