import pkg from '../package.json';

export const apiVersion: string = pkg.version;
