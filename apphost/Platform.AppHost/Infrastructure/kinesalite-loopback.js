// Runs kinesalite on 127.0.0.1 only: its cli.js listens on every interface and has no option to choose one.
// Usage: node kinesalite-loopback.js <kinesalite package folder> --port <port> [any other cli.js option]
'use strict'
const [folder, ...options] = process.argv.slice(2)
const argv = require(require.resolve('minimist', { paths: [folder] }))(options)
const server = require(folder)(argv).listen(argv.port, '127.0.0.1', () => {
  const address = server.address()
  console.log('kinesalite listening on %s:%s', address.address, address.port)
})
