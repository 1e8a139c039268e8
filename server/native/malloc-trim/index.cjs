'use strict'
// The addon built by `node-gyp rebuild` at install time; see src/malloc_trim.c.
module.exports = require('./build/Release/malloc_trim.node')
