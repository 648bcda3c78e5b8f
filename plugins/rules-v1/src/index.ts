/**
 * The v1.0 rules edition as a library: its registry contribution, which
 * tests load the edition from. The registry wiring lives in hooks/.
 */
export {default as register} from './hooks/register.js'
