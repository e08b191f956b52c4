#!/usr/bin/env node
// tuanbot's Wechaty test gateway.
//
// A real wechaty-puppet-service PuppetServer (gRPC, no TLS) hosting wechaty-puppet-mock on
// 127.0.0.1, plus a small HTTP JSON control API for tests: create rooms, make members speak,
// and read back everything the bot sent. See README.md beside this file for the protocol.
//
// stdout carries exactly one line, the ready line (JSON); every log goes to stderr.

import http from 'node:http'
import net from 'node:net'
import { createHash, randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'

import { FileBox } from 'file-box'
import * as PUPPET from 'wechaty-puppet'
import { PuppetMock, mock } from 'wechaty-puppet-mock'
import { PuppetServer } from 'wechaty-puppet-service'

// Libraries log through console.info/console.log; keep stdout for the ready line only.
console.log = console.error
console.info = console.error
console.debug = console.error

const HOST = '127.0.0.1'
const BIND_ATTEMPTS = 5

const { values: args } = parseArgs({
  options: {
    'grpc-port': { type: 'string', default: '0' },
    'control-port': { type: 'string', default: '0' },
    token: { type: 'string', default: process.env.WECHATY_PUPPET_SERVICE_TOKEN || '' },
    'bot-id': { type: 'string', default: 'tuanbot-bot' },
    'bot-name': { type: 'string', default: '团购助手' },
    lifeline: { type: 'boolean', default: false },
    'manual-login': { type: 'boolean', default: false },
  },
})

if (!args.token) {
  console.error('gateway: a token is required (--token or WECHATY_PUPPET_SERVICE_TOKEN)')
  process.exit(2)
}
PUPPET.log.level(process.env.WECHATY_LOG || 'warn')
// The server reads this on start(); we also pass tls.disable, but keep the documented switch set.
process.env.WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_SERVER = 'true'

const MessageType = PUPPET.types.Message

/** Everything the bot sent, in order, with a sequence number tests can wait on. */
class SentLog {
  constructor () {
    this.records = []
    this.nextSeq = 1
    this.waiters = new Set()
  }

  add (record) {
    const full = { seq: this.nextSeq++, at: Date.now(), ...record }
    this.records.push(full)
    for (const wake of this.waiters) wake()
    return full
  }

  after (seq) {
    return this.records.filter(r => r.seq > seq)
  }

  /** Resolves with the records after `seq`, waiting up to `waitMs` for at least one. */
  async wait (seq, waitMs) {
    if (this.after(seq).length > 0 || waitMs <= 0) return this.after(seq)
    await new Promise(resolve => {
      const wake = () => { clearTimeout(timer); this.waiters.delete(wake); resolve() }
      const timer = setTimeout(wake, waitMs)
      this.waiters.add(wake)
    })
    return this.after(seq)
  }

  reset () {
    this.records = []
  }
}

/**
 * The stock mock drops outgoing mention ids, returns no id for sent messages and answers every
 * image request with a fake QR code. This subclass records what the bot sends, echoes it back as
 * a message event (as real WeChat does), returns its id, and serves the real attachment bytes.
 */
class RecordingPuppetMock extends PuppetMock {
  constructor (options, sentLog) {
    super(options)
    this.sentLog = sentLog
    this.attachments = new Map()
    this.roomAliases = new Map()
  }

  conversationFields (conversationId) {
    if (conversationId.endsWith('@chatroom')) {
      this.mocker.RoomMock.load(conversationId)
      return { roomId: conversationId }
    }
    this.mocker.ContactMock.load(conversationId)
    return { listenerId: conversationId }
  }

  /** Stores a message payload in the mock and emits its event; returns the message id. */
  deliver (payload, attachment) {
    const fields = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined))
    const id = fields.id || randomUUID()
    if (attachment) this.attachments.set(id, attachment)
    this.mocker.MessageMock.create({ timestamp: Date.now(), ...fields, id })
    this.emit('message', { messageId: id })
    return id
  }

  redeliver (messageId) {
    this.mocker.MessageMock.load(messageId)
    this.emit('message', { messageId })
  }

  async messageSendText (conversationId, text, mentionIdList = []) {
    if (!this.isLoggedIn) throw new Error('not logged in')
    const where = this.conversationFields(conversationId)
    const mentionIds = [...mentionIdList]
    const messageId = this.deliver({
      ...where,
      mentionIdList: mentionIds,
      talkerId: this.currentUserId,
      text,
      type: MessageType.Text,
    })
    this.sentLog.add({ kind: 'text', messageId, conversationId, text, mentionIds })
    return messageId
  }

  async messageSendFile (conversationId, file) {
    if (!this.isLoggedIn) throw new Error('not logged in')
    const where = this.conversationFields(conversationId)
    const buffer = await file.toBuffer()
    const stored = FileBox.fromBuffer(buffer, file.name)
    const isImage = /\.(png|jpe?g|gif)$/i.test(file.name)
    const messageId = this.deliver({
      ...where,
      filename: file.name,
      talkerId: this.currentUserId,
      type: isImage ? MessageType.Image : MessageType.Attachment,
    }, stored)
    this.sentLog.add({
      kind: 'file',
      messageId,
      conversationId,
      text: '',
      mentionIds: [],
      file: { name: file.name, size: buffer.length, sha256: createHash('sha256').update(buffer).digest('hex') },
    })
    return messageId
  }

  async messageImage (messageId, _imageType) {
    return this.attachmentOf(messageId)
  }

  async messageFile (messageId) {
    return this.attachmentOf(messageId)
  }

  attachmentOf (messageId) {
    const fileBox = this.attachments.get(messageId)
    if (!fileBox) throw new Error(`message ${messageId} has no attachment`)
    return fileBox
  }

  async roomMemberRawPayload (roomId, contactId) {
    const payload = await super.roomMemberRawPayload(roomId, contactId)
    const roomAlias = this.roomAliases.get(`${roomId}\n${contactId}`)
    return roomAlias ? { ...payload, roomAlias } : payload
  }
}

const sentLog = new SentLog()
const mocker = new mock.Mocker()
const puppet = new RecordingPuppetMock({ mocker }, sentLog)

function ensureContact ({ id, name }) {
  if (id && mocker.cacheContactPayload.has(id)) return mocker.ContactMock.load(id)
  return mocker.createContact({ id: id || randomUUID(), name: name || id || 'member' })
}

const bot = ensureContact({ id: args['bot-id'], name: args['bot-name'] })

// python-wechaty stops and restarts the server-side puppet on every connect, so the bot is
// logged in by an environment that runs at every puppet start, not once at boot. With
// --manual-login it waits for POST /login instead, as a real account waits for a QR scan.
mocker.use(function loginBotEnvironment () {
  if (!args['manual-login'] && !puppet.isLoggedIn) mocker.login(bot)
  return () => {}
})

/** Creates (or extends) a room; members are `{id?, name, alias?}` objects or bare ids. */
function createRoom ({ id, topic, members = [], withBot = true }) {
  const roomId = id || `${randomUUID()}@chatroom`
  if (!roomId.endsWith('@chatroom')) throw new HttpError(400, 'room ids must end with @chatroom')
  if (mocker.cacheRoomPayload.has(roomId)) throw new HttpError(409, `room ${roomId} exists`)
  const people = members.map(m => (typeof m === 'string' ? { id: m } : m))
  const contacts = people.map(ensureContact)
  people.forEach((person, i) => {
    if (person.alias) puppet.roomAliases.set(`${roomId}\n${contacts[i].id}`, person.alias)
  })
  const memberIdList = [...(withBot ? [bot.id] : []), ...contacts.map(c => c.id)]
  mocker.createRoom({ id: roomId, topic: topic || roomId, memberIdList, adminIdList: [], ownerId: bot.id })
  return {
    id: roomId,
    topic: topic || roomId,
    memberIds: memberIdList,
    members: contacts.map((c, i) => ({ id: c.id, name: c.payload.name, alias: people[i].alias || null })),
  }
}

function messageTarget ({ roomId, talkerId }) {
  if (!talkerId) throw new HttpError(400, 'talkerId is required')
  if (!mocker.cacheContactPayload.has(talkerId)) throw new HttpError(404, `no contact ${talkerId}`)
  if (roomId) {
    const room = mocker.cacheRoomPayload.get(roomId)
    if (!room) throw new HttpError(404, `no room ${roomId}`)
    if (!room.memberIdList.includes(talkerId)) throw new HttpError(400, `${talkerId} is not in ${roomId}`)
    return { roomId, talkerId }
  }
  return { listenerId: bot.id, talkerId }
}

class HttpError extends Error {
  constructor (status, message) {
    super(message)
    this.status = status
  }
}

function messageType (name) {
  const type = MessageType[name]
  if (typeof type !== 'number') throw new HttpError(400, `no message type ${name}`)
  return type
}

const routes = {
  'GET /health': () => ({
    ok: true,
    botId: bot.id,
    botName: bot.payload.name,
    loggedIn: puppet.isLoggedIn,
    sent: sentLog.records.length,
  }),

  'POST /contacts': body => {
    const contact = ensureContact(body)
    return { id: contact.id, name: contact.payload.name }
  },

  'POST /rooms': body => createRoom(body),

  'POST /say': body => {
    if (typeof body.text !== 'string') throw new HttpError(400, 'text is required')
    const target = messageTarget(body)
    const mentionIds = [...(body.mentionIds || [])]
    if (body.mentionBot && !mentionIds.includes(bot.id)) mentionIds.push(bot.id)
    const messageId = puppet.deliver({
      ...target,
      id: body.id,
      mentionIdList: target.roomId ? mentionIds : undefined,
      text: body.text,
      timestamp: body.timestamp,
      // `type` names another kind of message with text, e.g. Audio (a voice message) or Transfer.
      type: body.type === undefined ? MessageType.Text : messageType(body.type),
    })
    return { messageId }
  },

  // WeChat's own 群接龙 arrives as an app message (type 53) whose text is the XML.
  'POST /jielong': body => {
    if (typeof body.xml !== 'string') throw new HttpError(400, 'xml is required')
    const messageId = puppet.deliver({
      ...messageTarget(body),
      id: body.id,
      text: body.xml,
      timestamp: body.timestamp,
      type: MessageType.GroupNote,
    })
    return { messageId }
  },

  'POST /media': body => {
    if (typeof body.base64 !== 'string' || !body.name) throw new HttpError(400, 'name and base64 are required')
    const image = body.kind !== 'file'
    const fileBox = FileBox.fromBase64(body.base64, body.name)
    const messageId = puppet.deliver({
      ...messageTarget(body),
      id: body.id,
      filename: body.name,
      timestamp: body.timestamp,
      type: image ? MessageType.Image : MessageType.Attachment,
    }, fileBox)
    return { messageId }
  },

  'POST /redeliver': body => {
    try {
      puppet.redeliver(body.messageId)
    } catch {
      throw new HttpError(404, `no message ${body.messageId}`)
    }
    return { messageId: body.messageId }
  },

  'POST /scan': body => {
    const status = body.status ?? PUPPET.types.ScanStatus.Waiting
    puppet.emit('scan', { qrcode: body.qrcode || 'https://login.weixin.qq.com/l/tuanbot-mock', status })
    return { ok: true }
  },

  'POST /login': () => {
    if (!puppet.isLoggedIn) mocker.login(bot)
    return { ok: true, botId: bot.id }
  },

  'POST /logout': async () => {
    await puppet.logout('logged out by the control API')
    return { ok: true }
  },

  'GET /sent': async (_body, query) => {
    const after = Number(query.get('after') || 0)
    const waitMs = Math.min(Number(query.get('wait_ms') || 0), 30_000)
    const records = await sentLog.wait(after, waitMs)
    return { sent: records, last: sentLog.nextSeq - 1 }
  },

  'POST /reset': () => {
    sentLog.reset()
    return { ok: true, last: sentLog.nextSeq - 1 }
  },
}

async function readJson (req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  if (chunks.length === 0) return {}
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'body is not JSON')
  }
}

function sendJson (res, status, payload) {
  const body = JSON.stringify(payload)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

const controlServer = http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://${HOST}`)
  const route = routes[`${req.method} ${url.pathname}`]
  try {
    if (!route) throw new HttpError(404, `no route ${req.method} ${url.pathname}`)
    sendJson(res, 200, await route(await readJson(req), url.searchParams))
  } catch (e) {
    const status = e instanceof HttpError ? e.status : 500
    sendJson(res, status, { error: String(e.message || e) })
  }
})
controlServer.keepAliveTimeout = 60_000

function freePort () {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

/** Starts the PuppetServer; with port 0, picks a free port and retries if it is taken meanwhile. */
async function startPuppetServer (requestedPort) {
  for (let attempt = 1; ; attempt++) {
    const port = requestedPort || await freePort()
    const server = new PuppetServer({ endpoint: `${HOST}:${port}`, puppet, token: args.token, tls: { disable: true } })
    try {
      await server.start()
      return { server, port }
    } catch (e) {
      await server.stop().catch(() => {})
      if (requestedPort || attempt >= BIND_ATTEMPTS) throw e
    }
  }
}

const { server: puppetServer, port: grpcPort } = await startPuppetServer(Number(args['grpc-port']))
await new Promise((resolve, reject) => {
  controlServer.once('error', reject)
  controlServer.listen(Number(args['control-port']), HOST, resolve)
})
const controlPort = controlServer.address().port

let stopping = false
async function shutdown (code) {
  if (stopping) return
  stopping = true
  controlServer.closeAllConnections()
  controlServer.close()
  await Promise.race([
    Promise.allSettled([puppetServer.stop(), puppet.state.active() ? puppet.stop() : null]),
    new Promise(resolve => setTimeout(resolve, 3000)),
  ])
  process.exit(code)
}
process.on('SIGTERM', () => shutdown(0))
process.on('SIGINT', () => shutdown(0))
if (args.lifeline) {
  // The parent holds our stdin; when it goes away (even by SIGKILL), so do we.
  process.stdin.on('end', () => shutdown(0))
  process.stdin.on('close', () => shutdown(0))
  process.stdin.resume()
}

process.stdout.write(JSON.stringify({
  tuanbot_gateway: 'ready',
  grpc_port: grpcPort,
  control_port: controlPort,
  endpoint: `${HOST}:${grpcPort}`,
  bot_id: bot.id,
  bot_name: bot.payload.name,
}) + '\n')
