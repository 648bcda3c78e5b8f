export * from './workloads/index.js'
export * from './datasize.js'
export * from './datagen-argv.js'
export {default as TrainingDatagen} from './commands/training/datagen.js'
