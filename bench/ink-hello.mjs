// The memory floor: the smallest Ink app, rendering one line and staying up.
import React from 'react';
import { render, Text } from 'ink';

render(React.createElement(Text, null, 'hello'));
setInterval(() => {}, 1000);
