import './index.css';
import './explorer.css';
