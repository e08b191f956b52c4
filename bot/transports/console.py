"""The console transport: a terminal simulator of one WeChat group.

Type `名字> 消息` to speak as anyone (the name sticks until changed), or just the message to
speak as the current speaker. Replies are printed exactly as they would be sent to WeChat.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.events import IncomingMessage, OutgoingMessage
from bot.transports import MessageSink

GROUP_ID = "console-group@chatroom"


def wechat_id(name: str) -> str:
    return f"wxid_{name}"


class ConsoleTransport:
    name = "console"
    can_send_files = True

    def __init__(
        self,
        *,
        speaker: str,
        group_name: str,
        clock: Callable[[], datetime],
        input_stream: TextIO = sys.stdin,
        output: TextIO = sys.stdout,
        on_eof: Callable[[], None] | None = None,
    ) -> None:
        self.speaker = speaker
        self.group_name = group_name
        self._clock = clock
        self._input = input_stream
        self._output = output
        self._on_eof = on_eof
        self._ids = itertools.count(1)
        self._names: dict[str, str] = {}
        self._reader: asyncio.Task[None] | None = None

    async def start(self, sink: MessageSink) -> None:
        self._reader = asyncio.create_task(self._read_lines(sink))

    async def _read_lines(self, sink: MessageSink) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._output.write(f"{self.speaker}> ")
            self._output.flush()
            line = await loop.run_in_executor(None, self._input.readline)
            if not line:
                if self._on_eof:
                    self._on_eof()
                return
            message = self.parse(line.rstrip("\n"))
            if message is not None:
                await sink(message)

    def parse(self, line: str) -> IncomingMessage | None:
        """`张三> 苹果2斤` switches speaker and speaks; a bare line speaks as the current speaker."""
        name, sep, text = line.partition(">")
        if sep and name.strip() and len(name.strip()) <= 20 and "\n" not in name:
            self.speaker = name.strip()
        else:
            text = line
        text = text.strip()
        if not text:
            return None
        self._names[wechat_id(self.speaker)] = self.speaker
        return IncomingMessage(
            message_id=f"console-{next(self._ids)}",
            chat_id=GROUP_ID,
            chat_name=self.group_name,
            sender_id=wechat_id(self.speaker),
            sender_name=self.speaker,
            text=text,
            sent_at=self._clock(),
        )

    async def send(self, message: OutgoingMessage) -> str | None:
        mentions = " ".join(f"@{self._names.get(i, i.removeprefix('wxid_'))}" for i in message.mention_ids)
        where = "" if message.chat_id == GROUP_ID else f"[私聊 {message.chat_id.removeprefix('wxid_')}] "
        body = f"{mentions} {message.text}".strip() if mentions else message.text
        if message.file_path:
            body += f"\n[文件] {message.file_path}"
        self._output.write(f"\n{where}🤖 团购助手: " + body.replace("\n", "\n    ") + "\n")
        self._output.flush()
        return None

    async def stop(self) -> None:
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()
