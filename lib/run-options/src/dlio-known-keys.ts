/**
 * The DLIO configuration keys a `--param` may set although a workload of the
 * catalogue may not carry them (DLIO's `ConfigArguments`, as the workload
 * types of dlio-workload.ts spell them). A key neither here nor in the
 * workload is a typo until the user says otherwise (`--new-param`).
 */
export const KNOWN_DLIO_KEYS: ReadonlySet<string> = new Set([
  'framework',
  'workflow.generate_data', 'workflow.train', 'workflow.checkpoint', 'workflow.evaluation', 'workflow.profiling', 'workflow.debug',
  'dataset.data_folder', 'dataset.format', 'dataset.num_files_train', 'dataset.num_files_eval', 'dataset.num_samples_per_file',
  'dataset.record_length_bytes', 'dataset.record_length_bytes_stdev', 'dataset.record_length_bytes_resize',
  'dataset.num_subfolders_train', 'dataset.num_subfolders_eval', 'dataset.file_prefix', 'dataset.compression',
  'dataset.compression_level', 'dataset.enable_chunking', 'dataset.chunk_size', 'dataset.keep_files',
  'dataset.parquet.row_group_size', 'dataset.parquet.read_mode',
  'reader.data_loader', 'reader.batch_size', 'reader.batch_size_eval', 'reader.read_threads', 'reader.computation_threads',
  'reader.prefetch_size', 'reader.file_shuffle', 'reader.sample_shuffle', 'reader.shuffle_size', 'reader.transfer_size',
  'reader.odirect', 'reader.dont_use_mmap', 'reader.multiprocessing_context', 'reader.read_type',
  'reader.preprocess_time', 'reader.preprocess_time_stdev', 'reader.pin_memory',
  'train.epochs', 'train.computation_time', 'train.computation_time_stdev', 'train.total_training_steps', 'train.seed', 'train.seed_change_epoch',
  'evaluation.eval_time', 'evaluation.eval_time_stdev', 'evaluation.epochs_between_evals',
  'checkpoint.checkpoint_folder', 'checkpoint.checkpoint_after_epoch', 'checkpoint.epochs_between_checkpoints',
  'checkpoint.steps_between_checkpoints', 'checkpoint.time_between_checkpoints', 'checkpoint.num_checkpoints_write',
  'checkpoint.num_checkpoints_read', 'checkpoint.mode', 'checkpoint.fsync', 'checkpoint.type', 'checkpoint.recovery_rank_shift',
  'model.name', 'model.type', 'model.model_size', 'model.model_size_bytes', 'model.num_layers', 'model.model_datatype',
  'model.optimizer_datatype', 'model.parallelism.tensor', 'model.parallelism.pipeline', 'model.parallelism.data',
  'model.parallelism.zero_stage', 'model.transformer.vocab_size', 'model.transformer.hidden_size',
  'model.transformer.ffn_hidden_size', 'model.transformer.num_attention_heads', 'model.transformer.num_kv_heads',
  'metric.au', 'output.folder', 'output.log_file',
  'storage.storage_type', 'storage.storage_root', 'storage.s3_force_path_style',
])

/** Sections whose keys are free-form: what a storage library or the profiler takes is theirs to define. */
export const OPEN_DLIO_SECTIONS: readonly string[] = ['storage.storage_options.', 'profiling.']
