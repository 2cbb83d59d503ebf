// Tests start their own Azurite (in-memory, free ports) through the same launcher `npm start` uses.
export { startAzurite, type Azurite } from '../../dev/azurite.js';
