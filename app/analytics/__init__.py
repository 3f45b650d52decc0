"""Chain analytics for industry offices: node figures, 配套率, 短板, their actions, the quarter's results."""
