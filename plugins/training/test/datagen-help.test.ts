import assert from 'node:assert/strict'
import {TrainingDatagen} from '@mlps/plugin-training'

describe('training datagen --help', () => {
  it('says which engine resumes: the native one keeps complete files, DLIO writes every file again', () => {
    const help = TrainingDatagen.description ?? ''
    assert.doesNotMatch(help, /Re-running resumes: complete files are kept\./)
    assert.match(help, /with the native engine resumes: files already at their planned size are kept; with --engine dlio every file is written again/)
    assert.match(help, /DLIO_LOG_LEVEL=info/)
  })
})
